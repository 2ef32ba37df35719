#!/usr/bin/env node
// `npm test`: type check, lint, format check, unit tests, then integration tests against a real Kafka broker
// (tools/kafka, unless KAFKA_BROKERS is set) and the local PostgreSQL. Ends with one line totalling
// every Jest test: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const results = join(root, 'test-results');
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  FORCE_COLOR: process.env.FORCE_COLOR ?? '0',
};
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(title, command, args, options = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  console.log(`${status === 0 ? '✔' : '✘'} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return status === 0;
}

function reliabilityTotals(file) {
  if (!existsSync(file)) return { passed: 0, failed: env.LD_RELIABILITY === '1' ? 1 : 0, brokenSuites: 0 };
  const { passed, failed } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed, failed, brokenSuites: 0 };
}

function jestTotals(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, brokenSuites: 1 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    brokenSuites: report.numRuntimeErrorTestSuites,
  };
}

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const steps = [];
steps.push(run('type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']));
// The operator console is TSX for the browser (DOM types, JSX): its own tsconfig.
steps.push(run('type check (console)', bin('tsc'), ['-p', 'apps/console/tsconfig.spec.json', '--noEmit']));
steps.push(
  run('lint (module boundaries included)', bin('nx'), ['run-many', '-t', 'lint', '--outputStyle=static']),
);
steps.push(run('format (Prettier)', bin('prettier'), ['--check', '.', '--log-level=warn']));
steps.push(
  run('unit tests', bin('jest'), [
    '-c',
    'jest.config.cjs',
    '--maxWorkers=2',
    '--json',
    `--outputFile=${join(results, 'unit.json')}`,
  ]),
);

if (!run('PostgreSQL reachable', process.execPath, [join(root, 'tools/test/ensure-postgres.mjs')])) {
  steps.push(false);
}

let startedKafka = false;
if (!env.KAFKA_BROKERS) {
  const start = spawnSync(
    process.execPath,
    [join(root, 'tools/kafka/kafka.mjs'), 'start', '--name', 'test', '--port', '19092'],
    {
      cwd: root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const brokers = /KAFKA_BROKERS=(\S+)/.exec(start.stdout ?? '')?.[1];
  if (start.status !== 0 || !brokers) {
    console.error('✘ could not start the Kafka broker (tools/kafka); integration tests cannot run');
    steps.push(false);
  } else {
    env.KAFKA_BROKERS = brokers;
    startedKafka = true;
  }
}
// The console's browser test (tools/stack/console-browser.int-spec.ts) drives Debian's Chromium.
const chromium = spawnSync(join(root, 'tools/test/ensure-chromium.sh'), {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (chromium.status === 0) env.CHROMIUM_PATH = chromium.stdout.trim();
else steps.push(false);

if (env.KAFKA_BROKERS) {
  steps.push(
    run('integration tests (real Kafka + PostgreSQL)', bin('jest'), [
      '-c',
      'jest.int.config.cjs',
      '--runInBand',
      // A handle left open by a test must not hang CI; Jest still reports it.
      '--forceExit',
      '--json',
      `--outputFile=${join(results, 'integration.json')}`,
    ]),
  );
}
// The fault suite (tools/e2e/reliability.ts, ~15 minutes) stops the local PostgreSQL cluster while it
// runs: CI runs it (LD_RELIABILITY=1, set by .ci/run); locally it is `npm run test:reliability`.
if (env.LD_RELIABILITY === '1') {
  steps.push(
    run('reliability suite (faults under load, zero-loss reconciliation)', bin('tsx'), [
      'tools/e2e/reliability.ts',
    ]),
  );
}
if (startedKafka)
  spawnSync(process.execPath, [join(root, 'tools/kafka/kafka.mjs'), 'stop', '--name', 'test'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });

const totals = [
  ...['unit.json', 'integration.json'].map((file) => jestTotals(join(results, file))),
  reliabilityTotals(join(results, 'reliability.json')),
];
const passed = totals.reduce((sum, total) => sum + total.passed, 0);
const failed = totals.reduce((sum, total) => sum + total.failed + total.brokenSuites, 0);
const ok = steps.every(Boolean) && failed === 0;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
