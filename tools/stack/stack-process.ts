// `npm start` as a child process, for the suites that test the local stack as an operator runs it.
import { CONSUMERS } from '@lead-delivery/contracts';
import { expectEventually, skipExistingRecords, testKafka } from '@lead-delivery/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface StackProcess {
  /** Everything it printed so far. */
  output(): string;
  exited(): boolean;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the stack's consumer groups at the end of the shared topics, not at what earlier suites left there. */
export async function skipEarlierSuitesRecords(): Promise<void> {
  const kafka = testKafka('stack-test');
  for (const { group, topics } of CONSUMERS) await skipExistingRecords(kafka, group, [...topics]);
}

/** Starts tools/stack/start-stack.ts with its ports shifted by `offset` and waits until it says it runs. */
export async function startStackProcess(offset: number, env: NodeJS.ProcessEnv): Promise<StackProcess> {
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules/.bin/tsx'), join(root, 'tools/stack/start-stack.ts')],
    {
      cwd: root,
      env: { ...process.env, ...env, STACK_PORT_OFFSET: String(offset) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stack: StackProcess = {
    output: () => output,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: async () => {
      if (!stack.exited()) child.kill('SIGINT');
      return exit;
    },
  };
  try {
    await expectEventually(
      () => {
        if (stack.exited()) throw new Error(`the stack exited:\n${output}`);
        expect(output).toContain('Lead Delivery Platform is running');
      },
      { timeoutMs: 300_000, intervalMs: 500 },
    );
  } catch (error) {
    // Not ready in time (still building, say): stop it rather than leave it running.
    await stack.stop();
    throw error;
  }
  return stack;
}
