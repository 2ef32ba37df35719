import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const kafkaCli = join(__dirname, '..', '..', '..', 'tools', 'kafka', 'kafka.mjs');

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
    broker.run('start', '--port', String(broker.port), '--fresh');
    return broker;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  start(): void {
    this.run('start', '--port', String(this.port));
  }

  /** Controlled shutdown (SIGTERM). */
  stop(): void {
    this.run('stop');
  }

  private run(...args: string[]): void {
    execFileSync(process.execPath, [kafkaCli, args[0] as string, '--name', this.name, ...args.slice(1)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
