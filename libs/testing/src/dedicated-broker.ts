import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const root = join(__dirname, '..', '..', '..');
const kafkaCli = join(root, 'tools', 'kafka', 'kafka.mjs');
const kafkaRuns = join(root, '.cache', 'kafka', 'run');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Kafka broker of a test's own (tools/kafka instance `name`), for tests that stop, kill or restart a
 * broker without disturbing the shared one. Its data survives stop/kill, so `start()` brings it back.
 */
export class DedicatedBroker {
  private constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  static async create(name: string): Promise<DedicatedBroker> {
    const broker = new DedicatedBroker(name, await freePort());
    await broker.run('start', '--port', String(broker.port), '--fresh');
    return broker;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts it again (not blocking the event loop, so a load test keeps its pace meanwhile). */
  start(): Promise<void> {
    return this.run('start', '--port', String(this.port));
  }

  /** Controlled shutdown (SIGTERM). */
  stop(): Promise<void> {
    return this.run('stop');
  }

  /** `kill -9` of the broker JVM: no controlled shutdown, as in a crash. */
  async kill(): Promise<void> {
    const pid = Number(readFileSync(join(kafkaRuns, this.name, 'broker.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private async run(...args: string[]): Promise<void> {
    await promisify(execFile)(process.execPath, [
      kafkaCli,
      args[0] as string,
      '--name',
      this.name,
      ...args.slice(1),
    ]);
  }
}
