import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const kafkaCli = join(__dirname, '..', '..', '..', 'tools', 'kafka', 'kafka.mjs');

/**
 * tools/kafka's SASL broker (SCRAM-SHA-512, ACLs enforced) on a port of its own, so it never touches the
 * shared plaintext test broker. A broker already running under this name is reused and left running.
 */
export class SaslBroker {
  static readonly NAME = 'sasl';
  static readonly PORT = '19392';

  private startedHere = false;
  private superUserEnvironment: Record<string, string> | undefined;

  get brokers(): string {
    return `127.0.0.1:${SaslBroker.PORT}`;
  }

  /** The super user's settings, as the apps read them: KAFKA_BROKERS and KAFKA_SASL_*. */
  get superUserEnv(): Record<string, string> {
    if (!this.superUserEnvironment) throw new Error('the SASL broker is not started');
    return this.superUserEnvironment;
  }

  start(): void {
    // Decided before starting, so that stop() also cleans up after a start that failed half-way.
    this.startedHere = !this.running();
    const output = this.run([
      'start',
      '--port',
      SaslBroker.PORT,
      '--sasl',
      ...(this.startedHere ? ['--fresh'] : []),
    ]);
    this.superUserEnvironment = Object.fromEntries(
      output
        .split('\n')
        .map((line) => /^(KAFKA_\w+)=(\S+)$/.exec(line))
        .flatMap((match) => (match ? [[match[1], match[2]]] : [])),
    );
  }

  /** Creates a SCRAM-SHA-512 user (or sets its password). */
  addUser(user: string, password: string): void {
    this.run(['add-user', user], password);
  }

  /** Stops the broker if start() started it. */
  stop(): void {
    if (this.startedHere) this.run(['stop']);
  }

  private running(): boolean {
    try {
      this.run(['status']);
      return true;
    } catch {
      return false;
    }
  }

  private run(args: string[], input = ''): string {
    return execFileSync(process.execPath, [kafkaCli, ...args, '--name', SaslBroker.NAME], {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
  }
}
