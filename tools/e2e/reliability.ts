// `npm run test:reliability`: the fault suite. Each scenario runs a bounded load through the whole
// platform (separate processes, own broker and database) while a fault is injected, then reconciles every
// lead answered 2xx against PostgreSQL and the CRM sandbox: zero lost, zero duplicated CRM records.
// Prints a table (also written to test-results/reliability.md) and exits non-zero on any loss.
import { CONNECTORS, CONNECTOR_IDS, TOPICS, connectorAppOf, dlqTopicOf } from '@lead-delivery/contracts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commit, machine } from '../bench/bench-support';
import { runLoad } from './lead-load';
import { DEFAULT_ACCOUNT, ROOT, startPipeline, type Pipeline } from './pipeline';
import { reconcile, type Reconciliation } from './reconcile';

const CONNECTOR_GROUPS = CONNECTORS.map(({ id }) => connectorAppOf(id));

const RATE = Number(process.env['RELIABILITY_RATE'] ?? 20);
const LOAD_MS = Number(process.env['RELIABILITY_LOAD_MS'] ?? 15_000);
const SETTLE_TIMEOUT_MS = 240_000;
const HUBSPOT_TOKENS = [
  'pat-na1-00000000-0000-4000-8000-000000000001',
  'pat-na1-00000000-0000-4000-8000-000000000002',
];
const AUSTIN_PORTAL = '1000002';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const exec = promisify(execFile);
// Not blocking the event loop: the load keeps its pace while a service stops or starts.
const postgres = (action: 'stop' | 'start') =>
  exec('pg_ctlcluster', [
    '--skip-systemctl-redirect',
    '15',
    'main',
    action,
    ...(action === 'stop' ? ['-m', 'fast'] : []),
  ]);

interface Scenario {
  name: string;
  /** Injects the fault while the load runs; resolves with the time the fault ended. */
  fault(pipeline: Pipeline): Promise<number>;
  /** After the load: whatever recovery needs an operator (DLQ replay); resolves with the time it began. */
  afterLoad?(pipeline: Pipeline, settled: Reconciliation): Promise<number>;
}

const killAndRestart = (service: string): Scenario => ({
  name: `${service} killed (-9) mid-batch and restarted`,
  fault: async (pipeline) => {
    await sleep(4_000);
    await pipeline.stack.kill(service);
    await sleep(3_000);
    pipeline.stack.start(service);
    await pipeline.stack.waitReady(service);
    return Date.now();
  },
});

const scenarios: Scenario[] = [
  {
    name: 'Kafka broker killed (-9) and restarted',
    fault: async (pipeline) => {
      await sleep(4_000);
      await pipeline.broker.kill();
      await sleep(6_000);
      await pipeline.broker.start();
      return Date.now();
    },
  },
  {
    name: 'PostgreSQL stopped and restarted',
    fault: async () => {
      await sleep(4_000);
      await postgres('stop');
      await sleep(6_000);
      await postgres('start');
      return Date.now();
    },
  },
  killAndRestart('persistence'),
  killAndRestart('enrichment'),
  ...CONNECTORS.map(({ id }) => killAndRestart(connectorAppOf(id))),
  {
    name: 'CRM 429/503 bursts, then a HubSpot portal down past the retry budget (DLQ, replay)',
    fault: async (pipeline) => {
      await sleep(2_000);
      for (const crm of CONNECTOR_IDS) {
        await pipeline.sandbox.setFaults(crm, {
          errors: [
            { status: 429, rate: 0.2, retryAfterSeconds: 1 },
            { status: 503, rate: 0.1 },
          ],
        });
      }
      await sleep(5_000);
      for (const crm of CONNECTOR_IDS) await pipeline.sandbox.clearFaults(crm);
      await pipeline.sandbox.startOutage('hubspot', {}, AUSTIN_PORTAL);
      return Date.now();
    },
    // After the incident the operator replays every connector's dead letters: the HubSpot portal's outage
    // always exhausts the (short) retry budget, and a burst now and then exhausts it for a Salesforce batch.
    afterLoad: async (pipeline) => {
      const recovering = Date.now();
      await pipeline.sandbox.endOutage('hubspot', AUSTIN_PORTAL);
      for (const group of CONNECTOR_GROUPS) {
        const { stdout } = await exec(
          join(ROOT, 'node_modules/.bin/tsx'),
          ['tools/dlq/dlq.ts', 'replay', group],
          {
            cwd: ROOT,
            env: { ...process.env, KAFKA_BROKERS: pipeline.broker.brokers },
          },
        );
        process.stdout.write(`${group}: ${stdout}`);
      }
      return recovering;
    },
  },
  {
    name: 'gateway restarted with leads in its outbox',
    fault: async (pipeline) => {
      await sleep(3_000);
      await pipeline.broker.stop();
      await sleep(4_000);
      await pipeline.stack.restart('gateway');
      await sleep(2_000);
      await pipeline.broker.start();
      return Date.now();
    },
  },
];

interface Row {
  scenario: string;
  result: Reconciliation;
  refused: number;
  deadLettered: number;
  recoverySeconds: number;
  ok: boolean;
}

async function settle(pipeline: Pipeline, accepted: string[], done: (result: Reconciliation) => boolean) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const result = await reconcile(pipeline, DEFAULT_ACCOUNT.id, accepted).catch(() => undefined);
    if (result && done(result)) return { result, at: Date.now() };
    if (Date.now() > deadline)
      return { result: result ?? (await reconcile(pipeline, DEFAULT_ACCOUNT.id, accepted)), at: Date.now() };
    await sleep(1_000);
  }
}

async function run(pipeline: Pipeline, scenario: Scenario, index: number): Promise<Row> {
  console.log(`\n▶ ${scenario.name}`);
  const crashesBefore = pipeline.crashes.length;
  const load = runLoad({
    post: (lead) => pipeline.post(lead),
    ratePerSecond: RATE,
    durationMs: LOAD_MS,
    prefix: `rel${index}`,
  });
  let recoveredAt = await scenario.fault(pipeline);
  const { accepted, refused } = await load;

  const complete = (result: Reconciliation) => result.missing.length === 0;
  let settled = await settle(pipeline, accepted, complete);
  const deadLettered = settled.result.deadLettered;
  if (scenario.afterLoad) {
    recoveredAt = await scenario.afterLoad(pipeline, settled.result);
    settled = await settle(pipeline, accepted, (result) => complete(result) && result.deadLettered === 0);
  }
  const { result } = settled;
  // A service that died on its own fails the scenario even if no accepted lead is missing: it would have
  // refused (or lost) what came after.
  const crashed = pipeline.crashes.slice(crashesBefore);
  if (crashed.length > 0) console.log(`  exited unexpectedly: ${crashed.join(', ')}`);
  const ok =
    crashed.length === 0 &&
    result.missing.length === 0 &&
    result.duplicates === 0 &&
    result.persisted === result.accepted &&
    result.deadLettered === 0;
  if (!ok)
    console.log(
      `  missing: ${result.missing.slice(0, 10).join(', ')}${result.missing.length > 10 ? ' …' : ''}`,
    );
  return {
    scenario: scenario.name,
    result,
    refused,
    deadLettered,
    recoverySeconds: (settled.at - recoveredAt) / 1000,
    ok,
  };
}

function table(rows: Row[]): string {
  const lines = [
    `Reliability suite — ${new Date().toISOString().slice(0, 10)}, ${machine()}, commit ${commit()}; ${RATE} leads/s for ${LOAD_MS / 1000} s per scenario`,
    '',
    `| scenario | accepted (2xx) | refused | persisted | ${CONNECTORS.map(({ displayName }) => `${displayName} delivered / routed`).join(' | ')} | duplicates | dead-lettered | time to recover | result |`,
    `| --- | ---: | ---: | ---: | ${CONNECTORS.map(() => '---:').join(' | ')} | ---: | ---: | ---: | --- |`,
    ...rows.map(
      ({ scenario, result, refused, deadLettered, recoverySeconds, ok }) =>
        `| ${scenario} | ${result.accepted} | ${refused} | ${result.persisted} | ` +
        `${CONNECTORS.map(({ id }) => `${result.delivered[id]} / ${result.routed[id]}`).join(' | ')} | ` +
        `${result.duplicates} | ${deadLettered} | ${recoverySeconds.toFixed(1)} s | ${ok ? 'ok' : 'FAILED'} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  // Two HubSpot portals, so one account's portal can fail alone (per-account breaker, DLQ) rather than the
  // whole CRM (which pauses consumption instead); a short retry budget so the DLQ path is reached quickly.
  const hubspotAccounts = join(mkdtempSync(join(tmpdir(), 'reliability-')), 'hubspot.json');
  writeFileSync(
    hubspotAccounts,
    JSON.stringify({
      default: { credentials: { accessToken: HUBSPOT_TOKENS[0] } },
      accounts: { 'acct-austin-brokerage': { credentials: { accessToken: HUBSPOT_TOKENS[1] } } },
    }),
  );
  // Every registry connector gets the load, whatever the local routing sends the account's leads to.
  const routing = JSON.parse(readFileSync(join(ROOT, 'config/local/routing.json'), 'utf8'));
  routing.accounts[DEFAULT_ACCOUNT.id].always = [...CONNECTOR_IDS];
  const routingFile = join(mkdtempSync(join(tmpdir(), 'reliability-')), 'routing.json');
  writeFileSync(routingFile, JSON.stringify(routing));
  const retryBudget = {
    CONNECTOR_MAX_ATTEMPTS: '4',
    // A portal that is down answers 503: refused calls, counted apart from attempts.
    CONNECTOR_MAX_REFUSED_CALLS: '4',
    CONNECTOR_INLINE_RETRIES: '2',
    CONNECTOR_PARK_DELAY_INITIAL_MS: '1000',
    CONNECTOR_PARK_DELAY_MAX_MS: '3000',
    CONNECTOR_BREAKER_HALF_OPEN_MS: '3000',
    CONNECTOR_OUTAGE_PAUSE_MS: '3000',
  };
  const pipeline = await startPipeline('reliability', 22_000, {
    'crm-sandbox': { HUBSPOT_PORTALS: `1000001:${HUBSPOT_TOKENS[0]},${AUSTIN_PORTAL}:${HUBSPOT_TOKENS[1]}` },
    enrichment: { ROUTING_RULES_FILE: routingFile },
    ...Object.fromEntries(CONNECTORS.map(({ id }) => [connectorAppOf(id), retryBudget])),
    'connector-hubspot': { ...retryBudget, CONNECTOR_ACCOUNTS_FILE: hubspotAccounts },
  });
  const rows: Row[] = [];
  try {
    const only = process.env['RELIABILITY_ONLY'];
    for (const [index, scenario] of scenarios.entries()) {
      if (only && !scenario.name.includes(only)) continue;
      rows.push(await run(pipeline, scenario, index));
      console.log(table(rows.slice(-1)).split('\n').slice(-1)[0]);
    }
  } finally {
    await pipeline.stop();
  }
  const report = table(rows);
  console.log(
    `\n${report}\n(dead-letter topics of the CRM scenario: ${CONNECTOR_GROUPS.map((group) => dlqTopicOf(TOPICS.leadEnriched, group)).join(', ')})`,
  );
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'reliability.md'), `${report}\n`);
  const passed = rows.filter((row) => row.ok).length;
  writeFileSync(
    join(ROOT, 'test-results', 'reliability.json'),
    JSON.stringify({ passed, failed: rows.length - passed }),
  );
  process.exit(rows.every((row) => row.ok) ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
