import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { testBrokers } from './kafka';

const root = join(__dirname, '..', '..', '..');

/** Runs the DLQ operator CLI as an operator would (`npx tsx tools/dlq/dlq.ts ...`), against the test broker. */
export function dlqCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), 'tools/dlq/dlq.ts', ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, KAFKA_BROKERS: testBrokers().join(',') },
      timeout: 120_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
