// `npm run bench:e2e`: sustained load at fixed rates through the whole pipeline (separate processes, own
// broker and database, CRM sandbox at 20 ms per call). For each rate: accepted/s, gateway p50/p99,
// end-to-end p50/p99 (POST → CRM upsert answered, i.e. speed to lead), consumer lag peak, errors; then RSS
// per app. Reports the highest rate that keeps the end-to-end p99 within 1 s with zero errors.
// The `trickle` scenario then posts 10 leads/s for 60 s with the sandbox at 50 ms per call and reports
// POST → CRM record p50/p99 per connector (target p99 ≤ 250 ms: no lead waits for a batch).
// BENCH_E2E_SCENARIOS=rates,trickle,history,faults picks scenarios; BENCH_TRICKLE_RATE and
// BENCH_TRICKLE_DURATION_S size the trickle, BENCH_HISTORY_* and BENCH_FAULTS_* the scenarios of
// e2e-history-faults.ts (see there). BENCH_LEDGER_BASELINE=1 runs the connectors as before the delivery ledger.
// `replicas` (bench-replicas.ts, BENCH_REPLICAS_LEADS): 3 replicas of each connector against one portal's limit.
// BENCH_HUBSPOT_PORTAL_LIMIT: the HubSpot portal's calls per 10 s (default 190; 250 with the API capacity pack).
import { CONSUMERS } from '@lead-delivery/contracts';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, runLoad } from '../e2e/lead-load';
import { DEFAULT_ACCOUNT, ROOT, startPipeline, type Pipeline } from '../e2e/pipeline';
import { benchAsPods, podModeLine } from '../stack/pod-memory';
import { commit, cpuMs, machine, peakRssMb } from './bench-support';
import { replicasScenario, reportReplicas, type ReplicasResult } from './bench-replicas';
import {
  faultSettings,
  faults,
  history,
  historySettings,
  reportFaults,
  reportHistory,
  type BurstResult,
  type CallsResult,
} from './e2e-history-faults';

const RATES = (process.env['BENCH_E2E_RATES'] ?? '100,200,300,400').split(',').map(Number);
const DURATION_MS = Number(process.env['BENCH_E2E_DURATION_S'] ?? 30) * 1000;
const SCENARIOS = new Set(
  (process.env['BENCH_E2E_SCENARIOS'] ?? 'rates,trickle,history,faults,replicas').split(','),
);
const LEDGER_BASELINE = process.env['BENCH_LEDGER_BASELINE'] === '1';
/** A rollout margin of ten years: the ledger vouches for no lead, so every known person is looked up. */
const BASELINE_CONNECTOR_ENV = { CONNECTOR_LEDGER_ROLLOUT_MARGIN_MS: String(10 * 365 * 86_400_000) };
const IDLE_SETTLE_MS = 5_000;
const TRICKLE_RATE = Number(process.env['BENCH_TRICKLE_RATE'] ?? 10);
const TRICKLE_DURATION_MS = Number(process.env['BENCH_TRICKLE_DURATION_S'] ?? 60) * 1000;
const TRICKLE_CRM_LATENCY_MS = 50;
const TRICKLE_P99_TARGET_MS = 250;
/**
 * HubSpot's calls per 10 s for the sandbox's portals and the connector's budget: 190 (Professional and
 * Enterprise private apps) unless BENCH_HUBSPOT_PORTAL_LIMIT says otherwise, e.g. 250 (the API capacity pack).
 */
const HUBSPOT_PORTAL_LIMIT = process.env['BENCH_HUBSPOT_PORTAL_LIMIT'];
const AS_PODS = benchAsPods();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const GROUPS: Array<[string, string[]]> = CONSUMERS.map(({ group, topics }) => [group, [...topics]]);

interface Step {
  rate: number;
  acceptedPerSecond: number;
  gatewayP50: number;
  gatewayP99: number;
  e2eP50: number;
  e2eP99: number;
  lagPeak: number;
  errors: number;
}

/** Speed to lead (POST → CRM record) of one connector in the trickle scenario. */
interface TrickleResult {
  destination: string;
  delivered: number;
  p50: number;
  p99: number;
  /** The connector's CRM requests during the trickle and those that waited ≥ 10 ms for the portal's budget. */
  budget: BudgetWaits;
}

/** From `lead_connector_crm_budget_wait_seconds`, summed over credentials. */
interface BudgetWaits {
  requests: number;
  waited: number;
  waitedSeconds: number;
}

async function budgetWaits(pipeline: Pipeline, destination: string): Promise<BudgetWaits> {
  const service = pipeline.stack.services.find(({ name }) => name === `connector-${destination}`);
  const waits: BudgetWaits = { requests: 0, waited: 0, waitedSeconds: 0 };
  if (!service) return waits;
  const text = await (await fetch(service.ready.replace('/health/ready', '/metrics'))).text();
  let free = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('lead_connector_crm_budget_wait_seconds')) continue;
    const value = Number(line.split(' ').at(-1));
    if (line.startsWith('lead_connector_crm_budget_wait_seconds_count')) waits.requests += value;
    else if (line.startsWith('lead_connector_crm_budget_wait_seconds_sum')) waits.waitedSeconds += value;
    else if (line.includes('le="0.01"')) free += value;
  }
  waits.waited = waits.requests - free;
  return waits;
}

async function totalLag(admin: Admin): Promise<number> {
  let lag = 0;
  for (const [groupId, topics] of GROUPS) {
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const { partition, offset } of partitions) {
        const end = Number(ends.find((candidate) => candidate.partition === partition)?.high ?? 0);
        lag += Math.max(0, end - Math.max(0, Number(offset)));
      }
    }
  }
  return lag;
}

/**
 * Every consumer group caught up, then a few quiet seconds (PostgreSQL's autovacuum and the apps' GC after
 * a burst): the next rate starts from an idle pipeline instead of inheriting the last one's tail.
 */
async function untilIdle(admin: Admin): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await totalLag(admin).catch(() => 1)) > 0) await sleep(1_000);
  await sleep(IDLE_SETTLE_MS);
}

async function step(pipeline: Pipeline, admin: Admin, rate: number, durationMs = DURATION_MS): Promise<Step> {
  let lagPeak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      lagPeak = Math.max(lagPeak, await totalLag(admin).catch(() => 0));
      await sleep(1_000);
    }
  })();
  const started = Date.now();
  const load = await runLoad({
    post: (lead) => pipeline.post(lead),
    ratePerSecond: rate,
    durationMs,
    prefix: `bench${rate}`,
  });
  const loadSeconds = (Date.now() - started) / 1000;
  const speeds = [...(await deliveredSpeeds(pipeline, DEFAULT_ACCOUNT.id, load.accepted)).values()].flat();
  sampling = false;
  await sampler;
  await untilIdle(admin);
  return {
    rate,
    acceptedPerSecond: load.accepted.length / loadSeconds,
    gatewayP50: percentile(load.latenciesMs, 50),
    gatewayP99: percentile(load.latenciesMs, 99),
    e2eP50: percentile(speeds, 50),
    e2eP99: percentile(speeds, 99),
    lagPeak,
    errors: load.refused,
  };
}

/** The local accounts with a rate limit above every rate tried, so the benchmark measures the pipeline. */
function unthrottledAccounts(): string {
  const accounts = JSON.parse(readFileSync(join(ROOT, 'config/local/accounts.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const file = join(mkdtempSync(join(tmpdir(), 'bench-e2e-')), 'accounts.json');
  writeFileSync(
    file,
    JSON.stringify({ ...accounts, default_rate_limit: { requests_per_second: 100_000, burst: 100_000 } }),
  );
  return file;
}

/**
 * Waits (up to 120 s, polling each second) until every lead of `leadIds`, posted as `accountId`, has its
 * destinations recorded and as many delivered rows as destinations; then the speed to lead of its
 * delivered rows, per connector. Every condition names both key columns of leads (account_id, lead_id)
 * and the prefix of crm_deliveries' (account_id, lead_id, destination), so both are read through their
 * primary keys, and the deliveries are counted once per lead rather than once per lead per poll.
 */
async function deliveredSpeeds(
  pipeline: Pipeline,
  accountId: string,
  leadIds: string[],
): Promise<Map<string, number[]>> {
  const deadline = Date.now() + 120_000;
  let done = 0;
  while (Date.now() < deadline) {
    const [row] = await pipeline.query<{ done: number }>(
      `SELECT count(*)::int AS done
       FROM leads l
       LEFT JOIN (
         SELECT account_id, lead_id, count(*) AS delivered
         FROM crm_deliveries
         WHERE account_id = $1 AND lead_id = ANY($2) AND status = 'delivered'
         GROUP BY account_id, lead_id
       ) d ON d.account_id = l.account_id AND d.lead_id = l.lead_id
       WHERE l.account_id = $1 AND l.lead_id = ANY($2)
         AND l.destinations IS NOT NULL AND cardinality(l.destinations) <= coalesce(d.delivered, 0)`,
      [accountId, leadIds],
    );
    done = row?.done ?? 0;
    if (done >= leadIds.length) break;
    await sleep(1_000);
  }
  if (done < leadIds.length)
    console.log(`  ${leadIds.length - done} of ${leadIds.length} leads not delivered in 120 s`);
  const rows = await pipeline.query<{ destination: string; speed: number }>(
    `SELECT destination, speed_to_lead_ms::float8 AS speed FROM crm_deliveries
     WHERE account_id = $1 AND lead_id = ANY($2) AND status = 'delivered'`,
    [accountId, leadIds],
  );
  const speeds = new Map<string, number[]>();
  for (const { destination, speed } of rows)
    speeds.set(destination, [...(speeds.get(destination) ?? []), speed]);
  return speeds;
}

/** 10 leads/s, each CRM call answered in 50 ms: does a lead reach the CRM without waiting for a batch? */
async function trickle(pipeline: Pipeline): Promise<TrickleResult[]> {
  for (const crm of ['hubspot', 'salesforce'] as const) {
    await pipeline.sandbox.setFaults(crm, { latency: { fixedMs: TRICKLE_CRM_LATENCY_MS } });
  }
  try {
    const before = new Map<string, BudgetWaits>();
    for (const crm of ['hubspot', 'salesforce']) before.set(crm, await budgetWaits(pipeline, crm));
    const load = await runLoad({
      post: (lead) => pipeline.post(lead),
      ratePerSecond: TRICKLE_RATE,
      durationMs: TRICKLE_DURATION_MS,
      prefix: 'trickle',
    });
    const speeds = await deliveredSpeeds(pipeline, DEFAULT_ACCOUNT.id, load.accepted);
    const results: TrickleResult[] = [];
    for (const [destination, values] of speeds) {
      const [start, end] = [before.get(destination), await budgetWaits(pipeline, destination)];
      results.push({
        destination,
        delivered: values.length,
        p50: percentile(values, 50),
        p99: percentile(values, 99),
        budget: {
          requests: end.requests - (start?.requests ?? 0),
          waited: end.waited - (start?.waited ?? 0),
          waitedSeconds: end.waitedSeconds - (start?.waitedSeconds ?? 0),
        },
      });
    }
    return results;
  } finally {
    for (const crm of ['hubspot', 'salesforce'] as const) await pipeline.sandbox.clearFaults(crm);
  }
}

async function main(): Promise<void> {
  // Another bench may hold the default name (its broker) and ports: BENCH_E2E_NAME / BENCH_E2E_PORT_OFFSET.
  const pipeline = await startPipeline(
    process.env['BENCH_E2E_NAME'] ?? 'bench-e2e',
    Number(process.env['BENCH_E2E_PORT_OFFSET'] ?? 23_000),
    {
      gateway: { ACCOUNTS_FILE: unthrottledAccounts() },
      'connector-hubspot': {
        ...(HUBSPOT_PORTAL_LIMIT ? { CONNECTOR_CALLS_PER_WINDOW: HUBSPOT_PORTAL_LIMIT } : {}),
        ...(LEDGER_BASELINE ? BASELINE_CONNECTOR_ENV : {}),
      },
      ...(HUBSPOT_PORTAL_LIMIT
        ? { 'crm-sandbox': { HUBSPOT_TEN_SECONDLY_LIMIT: HUBSPOT_PORTAL_LIMIT } }
        : {}),
      ...(LEDGER_BASELINE ? { 'connector-salesforce': BASELINE_CONNECTOR_ENV } : {}),
    },
    { asPods: AS_PODS },
  );
  const admin = new Kafka({
    clientId: 'bench-e2e',
    brokers: [pipeline.broker.brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const peakRss = new Map<string, number>();
  const ratesCpuMs = new Map<string, number>();
  const steps: Step[] = [];
  let trickled: TrickleResult[] = [];
  let historyCalls: CallsResult[] = [];
  let bursts: { clean: BurstResult[]; faulty: BurstResult[] } | undefined;
  let replicated: ReplicasResult | undefined;
  try {
    console.log('▶ warm-up: 50 leads/s for 10 s (JIT, connections, consumer groups; not reported)');
    await step(pipeline, admin, 50, 10_000);
    if (SCENARIOS.has('rates')) {
      const cpuBefore = serviceCpuMs(pipeline);
      for (const rate of RATES) {
        console.log(`▶ ${rate} leads/s for ${DURATION_MS / 1000} s`);
        steps.push(await step(pipeline, admin, rate));
      }
      for (const [name, ms] of serviceCpuMs(pipeline)) ratesCpuMs.set(name, ms - (cpuBefore.get(name) ?? 0));
      // The kernel's high-water mark only rises: one read per app at the end covers the warm-up and every rate.
      for (const { name } of pipeline.stack.services) peakRss.set(name, peakRssMb(pipeline.stack.pid(name)));
    }
    if (SCENARIOS.has('trickle')) {
      console.log(
        `▶ trickle: ${TRICKLE_RATE} leads/s for ${TRICKLE_DURATION_MS / 1000} s, sandbox ${TRICKLE_CRM_LATENCY_MS} ms per CRM call`,
      );
      trickled = await trickle(pipeline);
    }
    if (SCENARIOS.has('history')) {
      const settings = historySettings();
      console.log(
        `▶ history: ${settings.leads} leads from ${settings.people} people with ${settings.inquiries} earlier inquiries each`,
      );
      historyCalls = await history(pipeline, settings);
    }
    if (SCENARIOS.has('faults')) {
      const settings = faultSettings();
      console.log(
        `▶ faults: ${settings.leads}-lead bursts, fault-free then ${settings.faultRate * 100} % 429/503`,
      );
      bursts = await faults(pipeline, settings);
    }
    if (SCENARIOS.has('replicas')) {
      console.log('▶ replicas: 3 replicas of each connector, one HubSpot portal at 190 calls per 10 s');
      replicated = await replicasScenario(pipeline, 23_500);
    }
  } finally {
    await admin.disconnect();
    await pipeline.stop();
  }

  console.log(`\nbench:e2e — ${new Date().toISOString().slice(0, 10)}, ${machine()}, commit ${commit()}`);
  if (steps.length > 0) reportRates(steps, peakRss, ratesCpuMs);
  if (SCENARIOS.has('trickle')) reportTrickle(trickled);
  if (SCENARIOS.has('history')) reportHistory(historySettings(), historyCalls, LEDGER_BASELINE);
  if (bursts) reportFaults(faultSettings(), bursts);
  if (replicated) reportReplicas(replicated);
}

/** CPU time used so far by each service of the pipeline, in ms. */
function serviceCpuMs(pipeline: Pipeline): Map<string, number> {
  return new Map(pipeline.stack.services.map(({ name }) => [name, cpuMs(pipeline.stack.pid(name))]));
}

function reportRates(steps: Step[], peakRss: Map<string, number>, ratesCpuMs: Map<string, number>): void {
  console.log(`\nrates: ${DURATION_MS / 1000} s per rate, sandbox 20 ms per CRM call\n`);
  console.log(
    '| target leads/s | accepted/s | gateway p50 / p99 ms | end-to-end p50 / p99 ms | consumer lag peak | errors |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of steps) {
    console.log(
      `| ${s.rate} | ${s.acceptedPerSecond.toFixed(0)} | ${s.gatewayP50} / ${s.gatewayP99} | ${s.e2eP50.toFixed(0)} / ${s.e2eP99.toFixed(0)} | ${s.lagPeak} | ${s.errors} |`,
    );
  }
  console.log(
    `\nPeak RSS per app (MiB, target ≤ 150 each; ${podModeLine(AS_PODS)}): ${[...peakRss].map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ')}`,
  );
  console.log(
    `CPU seconds per app over the rates: ${[...ratesCpuMs].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`).join(', ')}`,
  );
  const passing = steps.filter((s) => s.e2eP99 <= 1_000 && s.errors === 0);
  console.log(
    passing.length
      ? `Highest rate with end-to-end p99 ≤ 1 s and zero errors: ${Math.max(...passing.map((s) => s.rate))} leads/s (target: 200)`
      : 'No rate met end-to-end p99 ≤ 1 s with zero errors',
  );
}

function reportTrickle(results: TrickleResult[]): void {
  console.log(
    `\ntrickle: ${TRICKLE_RATE} leads/s for ${TRICKLE_DURATION_MS / 1000} s, sandbox ${TRICKLE_CRM_LATENCY_MS} ms per CRM call, HubSpot portal at ${HUBSPOT_PORTAL_LIMIT ?? 190} calls per 10 s; POST → CRM record\n`,
  );
  console.log(
    '| connector | delivered | p50 ms | p99 ms | p99 ≤ 250 ms | CRM requests | waited ≥ 10 ms for the budget | their mean wait ms |',
  );
  console.log('| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: |');
  for (const r of results) {
    const met = r.p99 <= TRICKLE_P99_TARGET_MS ? 'yes' : 'no';
    const { requests, waited, waitedSeconds } = r.budget;
    const share = requests > 0 ? `${waited} (${((100 * waited) / requests).toFixed(1)} %)` : '–';
    const meanWait = waited > 0 ? ((1000 * waitedSeconds) / waited).toFixed(0) : '–';
    console.log(
      `| ${r.destination} | ${r.delivered} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${met} | ${requests} | ${share} | ${meanWait} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
