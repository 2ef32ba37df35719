import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SKIPPED = new Set(['node_modules', 'dist', '.nx', '.cache', 'tmp', 'test-results', '.git']);

/**
 * A copy of this workspace (sources only; node_modules linked), where `@lead-delivery/tools` resolves as a
 * local Nx plugin through its tsconfig.base.json path.
 */
function copyWorkspace(): string {
  const copy = mkdtempSync(join(tmpdir(), 'connector-generator-'));
  cpSync(ROOT, copy, {
    recursive: true,
    filter: (source) =>
      source === ROOT || !SKIPPED.has(basename(source)) || relative(ROOT, source).includes('/'),
  });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const tsconfigFile = join(copy, 'tsconfig.base.json');
  const tsconfig = JSON.parse(readFileSync(tsconfigFile, 'utf8'));
  tsconfig.compilerOptions.paths['@lead-delivery/tools'] ??= ['./tools/generators/index.ts'];
  writeFileSync(tsconfigFile, JSON.stringify(tsconfig, null, 2));
  return copy;
}

/**
 * This run's test services, which a Jest run in the copy must set up for itself (tools/test/global-setup.ts:
 * the copy's topic catalogue has the new connector's topics) and must not tear down (its database, its broker).
 */
const OWN_TEST_SERVICES = [
  'LD_TEST_SERVICES_READY',
  'LD_TEST_STARTED_KAFKA',
  'LD_TEST_DATABASE_NAME',
  'DATABASE_URL',
];

function run(cwd: string, command: string, ...args: string[]): string {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !OWN_TEST_SERVICES.includes(name)),
  );
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', command), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' },
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${output}`);
  return output;
}

const APP = 'apps/connector-pipedrive';
const SANDBOX_MODULE = 'apps/crm-sandbox/src/pipedrive';

/**
 * Generates a connector into a copy of the workspace and runs what it came with, untouched: its unit tests,
 * its fake CRM's spec and its integration spec (real Kafka at KAFKA_BROKERS, PostgreSQL).
 */
describe('nx g @lead-delivery/tools:connector in a copy of the workspace', () => {
  let workspace: string;

  beforeAll(() => {
    workspace = copyWorkspace();
    run(
      workspace,
      'nx/dist/bin/nx.js',
      'g',
      '@lead-delivery/tools:connector',
      'pipedrive',
      '--no-interactive',
    );
  }, 300_000);

  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('generates a connector (and a crm-sandbox loading its fake CRM) that type-checks, lints (module boundaries included), passes its tests and builds', () => {
    const app = APP;
    run(workspace, 'typescript/bin/tsc', '-p', `${app}/tsconfig.app.json`, '--noEmit');
    run(workspace, 'typescript/bin/tsc', '-p', `${app}/tsconfig.spec.json`, '--noEmit');
    // The registry line and the sandbox index entry compile with the generated fake CRM.
    run(workspace, 'typescript/bin/tsc', '-p', 'apps/crm-sandbox/tsconfig.app.json', '--noEmit');
    const output = run(
      workspace,
      'nx/dist/bin/nx.js',
      'run-many',
      '-t',
      'lint',
      'test',
      'build',
      '-p',
      'connector-pipedrive',
      '--skip-nx-cache',
      '--outputStyle=static',
    );
    expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(output).toContain('Successfully ran targets lint, test, build for project connector-pipedrive');
    expect(readFileSync(join(workspace, 'dist', app, 'main.js'), 'utf8')).toContain(
      "destination = 'pipedrive'",
    );
  }, 300_000);

  it('generates its fake CRM in the crm-sandbox, which type-checks, lints and passes its spec', () => {
    run(workspace, 'typescript/bin/tsc', '-p', 'apps/crm-sandbox/tsconfig.spec.json', '--noEmit');
    run(workspace, 'eslint/bin/eslint.js', SANDBOX_MODULE);
    const output = run(
      workspace,
      'jest/bin/jest.js',
      '-c',
      'apps/crm-sandbox/jest.config.cjs',
      SANDBOX_MODULE,
    );
    expect(output).toMatch(/Tests:\s+7 passed, 7 total/);
  }, 300_000);

  it('generates an integration spec that runs the kit’s connector suite (delivery, faults) on real Kafka and PostgreSQL against the crm-sandbox', () => {
    const output = run(workspace, 'jest/bin/jest.js', '-c', `${APP}/jest.int.config.cjs`, '--runInBand');
    expect(output).toContain(`PASS connector-pipedrive:int ${APP}/test/pipedrive-delivery.int-spec.ts`);
    expect(output).toMatch(/Tests:\s+5 passed, 5 total/);
  }, 300_000);

  it('regenerates the topics and the configuration reference, and keeps every deployment check green', () => {
    expect(readFileSync(join(workspace, 'k8s/base/kafka/topics.yaml'), 'utf8')).toContain(
      'topicName: leads.enriched.v1.dlq.connector-pipedrive',
    );
    expect(readFileSync(join(workspace, 'docs/configuration.md'), 'utf8')).toContain('PIPEDRIVE_API_TOKEN');
    const output = run(
      workspace,
      'jest/bin/jest.js',
      '-c',
      'tools/jest.config.cjs',
      'tools/k8s',
      'tools/docs',
    );
    expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  }, 300_000);
});
