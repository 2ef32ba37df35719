import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WORKSPACE_ROOT = join(__dirname, '..', '..');
/** The broker integration tests start when KAFKA_BROKERS is not given (tools/kafka, instance `test`). */
export const TEST_BROKER_NAME = 'test';
export const TEST_BROKER_PORT = '19092';

const kafkaCli = join(WORKSPACE_ROOT, 'tools', 'kafka', 'kafka.mjs');

/** Starts (or reuses) the test broker; returns its bootstrap address. */
export function startTestBroker(): string {
  const output = execFileSync(
    process.execPath,
    [kafkaCli, 'start', '--name', TEST_BROKER_NAME, '--port', TEST_BROKER_PORT],
    {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const match = /KAFKA_BROKERS=(\S+)/.exec(output);
  if (!match?.[1]) throw new Error(`tools/kafka did not print KAFKA_BROKERS:\n${output}`);
  return match[1];
}

export function stopTestBroker(): void {
  execFileSync(process.execPath, [kafkaCli, 'stop', '--name', TEST_BROKER_NAME], {
    cwd: WORKSPACE_ROOT,
    stdio: 'inherit',
  });
}

/** The Kafka version of a broker started by tools/kafka, if that is where it came from. */
export function testBrokerVersion(): string | undefined {
  const state = join(WORKSPACE_ROOT, '.cache', 'kafka', 'run', TEST_BROKER_NAME, 'broker.json');
  return existsSync(state)
    ? (JSON.parse(readFileSync(state, 'utf8')) as { version?: string }).version
    : undefined;
}
