import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Proves the dependency rules of eslint.config.mjs are on: a deliberate import across a forbidden arrow
// of DESIGN.md must fail lint, and an allowed one must pass.

const root = join(__dirname, '..', '..');

interface LintResult {
  messages: Array<{ ruleId: string | null; message: string }>;
}

/** Lints `source` as if it were `file`, with the workspace's real ESLint config (run as a CLI, like CI does). */
async function boundaryViolations(file: string, source: string): Promise<string[]> {
  const eslint = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/eslint/bin/eslint.js'),
      '--stdin',
      '--stdin-filename',
      file,
      '--format',
      'json',
    ],
    { cwd: root, input: source, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (!eslint.stdout || eslint.stderr.includes('will be skipped'))
    throw new Error(`eslint failed: ${eslint.stderr}`);
  const [result] = JSON.parse(eslint.stdout) as LintResult[];
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === '@nx/enforce-module-boundaries')
    .map((message) => message.message);
}

describe('module boundaries (eslint @nx/enforce-module-boundaries)', () => {
  jest.setTimeout(120_000);

  beforeAll(() => {
    // Outside an Nx task the rule silently skips itself when no project graph is cached; compute it first.
    const nx = spawnSync(
      process.execPath,
      [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false' },
      },
    );
    expect(nx.status).toBe(0);
  });

  it.each([
    [
      'contracts must not depend on messaging',
      'libs/contracts/src/probe.ts',
      "import { EventPublisher } from '@lead-delivery/messaging';\nexport const probe = EventPublisher;\n",
      /Circular dependency between "contracts" and "messaging"/,
    ],
    [
      'contracts must not import kafkajs',
      'libs/contracts/src/probe.ts',
      "import { Kafka } from 'kafkajs';\nexport const probe = Kafka;\n",
      /kafkajs/,
    ],
    [
      'contracts must not import NestJS',
      'libs/contracts/src/probe.ts',
      "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
      /@nestjs\/common/,
    ],
    [
      'config must not depend on contracts',
      'libs/config/src/probe.ts',
      "import { TOPICS } from '@lead-delivery/contracts';\nexport const probe = TOPICS;\n",
      /scope:config/,
    ],
    [
      'production code must not use test support',
      'libs/messaging/src/probe.ts',
      "import { expectEventually } from '@lead-delivery/testing';\nexport const probe = expectEventually;\n",
      /tagged with "scope:messaging" can only depend on libs tagged with "scope:contracts", "scope:config"/,
    ],
  ])('%s', async (_rule, file, source, expected) => {
    const violations = await boundaryViolations(file, source);
    expect(violations.join('\n')).toMatch(expected);
  });

  it('allows the arrows DESIGN.md draws (messaging → contracts, config)', async () => {
    const source =
      "import { TOPICS } from '@lead-delivery/contracts';\nimport { EnvVar } from '@lead-delivery/config';\nexport const probe = [TOPICS, EnvVar];\n";
    expect(await boundaryViolations('libs/messaging/src/probe.ts', source)).toEqual([]);
  });
});
