// `npm run bench:connectors`: how the CRM connectors drain a backlog. It pre-produces LEADS enriched leads
// (default 10,000) routed to both CRMs, over ACCOUNTS accounts (default 3), each its own Salesforce org and
// HubSpot portal in crm-sandbox, which answers every call after SANDBOX_LATENCY_MS (default 50 ms) and keeps
// HubSpot's 190-calls-per-10-s limit per portal. Then it starts both connectors (their webpack builds, as child
// processes, sharing a fresh connector store: a throwaway database on TEST_ADMIN_DATABASE_URL's server) and
// times them until every lead is delivered. Prints throughput, records per CRM call, calls per lead and
// each connector's peak RSS; BENCH_AS_PODS as in bench:e2e (by default each runs as its pod would, from its
// image's dependencies in a memory cgroup of its manifest's limit, wherever this machine can). Kafka:
// KAFKA_BROKERS, else a tools/kafka broker of its own. SKIP_BUILD=1 uses the existing dist/. A script, not a
// test: it asserts nothing and is not part of `npm test`.
import {
  LEAD_ENRICHED_V1,
  TOPICS,
  dlqTopicOf,
  retryTopicOf,
  topicCatalogue,
  type LeadEnrichedV1,
} from '@lead-delivery/contracts';
import { EventPublisher, IdempotentProducer, provisionTopics } from '@lead-delivery/messaging';
import {
  anEnhancedLead,
  createTestDatabase,
  skipExistingRecords,
  startCrmSandbox,
  type RunningCrmSandbox,
  type SandboxRequestCounts,
} from '@lead-delivery/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { installImage } from '../build/app-image';
import { benchAsPods, podModeLine } from '../stack/pod-memory';
import { peakRssMb, startProcess, type RunningProcess } from './bench-support';

const ROOT = join(__dirname, '..', '..');
const LEADS = Number(process.env['LEADS'] ?? 10_000);
const ACCOUNTS = Number(process.env['ACCOUNTS'] ?? 3);
const LATENCY_MS = process.env['SANDBOX_LATENCY_MS'] ?? '50';
const BROKER = { name: 'bench-connectors', port: '19394' };
const PRODUCE_CHUNK = 5_000;
const AS_PODS = benchAsPods();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Crm {
  connector: 'connector-salesforce' | 'connector-hubspot';
  crm: 'salesforce' | 'hubspot';
  port: number;
  /** The endpoint whose calls carry the leads (records per call are measured on it). */
  batchEndpoint: string;
  env(sandboxUrl: string, accountsFile: string): Record<string, string>;
  accounts(sandboxUrl: string): Record<string, unknown>;
}

const accountIds = Array.from({ length: ACCOUNTS }, (_, index) => `acct-bench-${index + 1}`);
const orgId = (index: number) =>
  `00D5e000000Bn${String.fromCharCode(65 + index)}${String.fromCharCode(65 + index)}`;
const portalId = (index: number) => String(3_000_001 + index);
const portalToken = (index: number) =>
  `pat-na1-00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;

const CRMS: Crm[] = [
  {
    connector: 'connector-salesforce',
    crm: 'salesforce',
    port: 39_203,
    batchEndpoint: 'salesforce.collections.upsert',
    env: (url, accountsFile) => ({ SALESFORCE_LOGIN_URL: url, CONNECTOR_ACCOUNTS_FILE: accountsFile }),
    accounts: () => ({
      accounts: Object.fromEntries(
        accountIds.map((id, index) => [
          id,
          {
            credentials: {
              clientId: `bench-client-${index}`,
              clientSecret: `bench-secret-${index}-0123456789`,
            },
          },
        ]),
      ),
    }),
  },
  {
    connector: 'connector-hubspot',
    crm: 'hubspot',
    port: 39_204,
    batchEndpoint: 'hubspot.contacts.batch-upsert',
    env: (url, accountsFile) => ({ HUBSPOT_BASE_URL: url, CONNECTOR_ACCOUNTS_FILE: accountsFile }),
    accounts: () => ({
      accounts: Object.fromEntries(
        accountIds.map((id, index) => [id, { credentials: { accessToken: portalToken(index) } }]),
      ),
    }),
  },
];

function kafkaCli(...args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'tools/kafka/kafka.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function enrichedLead(index: number): LeadEnrichedV1 {
  const lead = anEnhancedLead();
  const email = lead.contact.email.toLowerCase();
  const tier = (['hot', 'warm', 'cold'] as const)[index % 3];
  return {
    lead,
    kind: 'enhanced',
    enrichment: {
      score: tier === 'hot' ? 84 : tier === 'warm' ? 55 : 20,
      tier,
      reasons: [{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }],
      model_version: 'bench',
      person_key: email,
      normalized: { email, phone_e164: '+15125550142', first_name: 'Maria', last_name: 'Gonzalez' },
    },
    routing: { account_id: accountIds[index % ACCOUNTS] as string, destinations: ['salesforce', 'hubspot'] },
  };
}

async function produce(kafka: Kafka): Promise<void> {
  const producer = new IdempotentProducer(kafka);
  await producer.connect();
  const publisher = new EventPublisher(producer, { source: '/bench', maxBatchRecords: 1_000 });
  try {
    for (let from = 0; from < LEADS; from += PRODUCE_CHUNK) {
      await Promise.all(
        Array.from({ length: Math.min(PRODUCE_CHUNK, LEADS - from) }, (_, offset) => {
          const event = enrichedLead(from + offset);
          return publisher.publish(LEAD_ENRICHED_V1, event, {
            accountId: event.routing.account_id,
            leadKind: event.kind,
          });
        }),
      );
    }
  } finally {
    await producer.disconnect();
  }
}

/** Leads the connector reported delivered (`lead_connector_outcomes_total{outcome="delivered"}`). */
async function deliveredCount(port: number): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
    (response) => response.text(),
    () => '',
  );
  return text
    .split('\n')
    .filter(
      (line) => line.startsWith('lead_connector_outcomes_total{') && line.includes('outcome="delivered"'),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

interface ConnectorSetting {
  brokers: string;
  sandboxUrl: string;
  databaseUrl: string;
  dir: string;
}

/** A connector's build directory, or with AS_PODS its image's install (its own dependencies, as the pod's). */
function connectorDir(crm: Crm): string {
  return AS_PODS ? installImage(ROOT, crm.connector) : join(ROOT, 'dist/apps', crm.connector);
}

function startConnector(
  crm: Crm,
  main: string,
  { brokers, sandboxUrl, databaseUrl, dir }: ConnectorSetting,
): RunningProcess {
  const accountsFile = join(dir, `${crm.crm}.accounts.json`);
  writeFileSync(accountsFile, JSON.stringify(crm.accounts(sandboxUrl)));
  return startProcess(
    main,
    {
      KAFKA_BROKERS: brokers,
      PORT: String(crm.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CONNECTOR_DATABASE_URL: databaseUrl,
      // A fresh ledger: no lead of this run is from before it.
      CONNECTOR_LEDGER_ROLLOUT_MARGIN_MS: '0',
      ...crm.env(sandboxUrl, accountsFile),
    },
    AS_PODS ? { asPodOf: crm.connector } : {},
  );
}

interface Result {
  crm: Crm;
  doneMs: number;
  firstCallMs: number;
  counts: SandboxRequestCounts;
  stored: number;
  peakRssMb: number;
}

async function measure(sandbox: RunningCrmSandbox, started: number, children: Map<Crm, RunningProcess>) {
  const done = new Map<Crm, number>();
  // The pod's shell execs node, so the child's pid is the connector's; VmHWM is read before it stops.
  const peakRss = new Map<Crm, number>();
  while (done.size < CRMS.length) {
    await sleep(200);
    for (const crm of CRMS) {
      const child = children.get(crm)?.child;
      if (child?.exitCode !== null) throw new Error(`${crm.connector} exited with code ${child?.exitCode}`);
      peakRss.set(crm, peakRssMb(child.pid));
      if (!done.has(crm) && (await deliveredCount(crm.port)) >= LEADS) done.set(crm, Date.now() - started);
    }
    if (Date.now() - started > 15 * 60_000) throw new Error('not every lead was delivered within 15 min');
  }
  const results: Result[] = [];
  for (const crm of CRMS) {
    const { entries } = await sandbox.client.requests({
      crm: crm.crm,
      endpoint: crm.batchEndpoint,
      limit: 1,
    });
    const first = entries[0];
    const summary = await sandbox.client.summary();
    const stored =
      crm.crm === 'salesforce'
        ? summary.salesforce.orgs.reduce((sum, org) => sum + org.leads, 0)
        : summary.hubspot.portals.reduce((sum, portal) => sum + portal.contacts, 0);
    results.push({
      crm,
      doneMs: done.get(crm) as number,
      firstCallMs: first ? Date.parse(first.at) - first.durationMs - started : 0,
      counts: await sandbox.client.requestCounts({ crm: crm.crm }),
      stored,
      peakRssMb: Math.max(peakRss.get(crm) ?? 0, peakRssMb(children.get(crm)?.child.pid)),
    });
  }
  return results;
}

function report({ crm, doneMs, firstCallMs, counts, stored, peakRssMb }: Result): string {
  const batch = counts.byEndpoint[crm.batchEndpoint];
  const endpoints = Object.entries(counts.byEndpoint)
    .map(([endpoint, count]) => `${endpoint} ${count.total}`)
    .join(', ');
  const refused = counts.total - (counts.byStatus['200'] ?? 0) - (counts.byStatus['201'] ?? 0);
  const perSecond = (ms: number) => Math.round(LEADS / (ms / 1000));
  return `
  ${crm.connector}: ${stored} records in the sandbox for ${LEADS} leads
    delivered all in     ${seconds(doneMs)} after start (${seconds(doneMs - firstCallMs)} after its first CRM call)
    throughput           ${perSecond(doneMs)} leads/s from start, ${perSecond(doneMs - firstCallMs)} leads/s from the first call
    records per call     ${((batch?.records ?? 0) / (batch?.total || 1)).toFixed(1)} (${crm.batchEndpoint}: ${batch?.total} calls)
    calls per lead       ${(counts.total / LEADS).toFixed(4)} (${counts.total} calls: ${endpoints}; ${refused} refused)
    peak RSS             ${peakRssMb.toFixed(0)} MiB`;
}

async function main(): Promise<void> {
  let brokers = process.env['KAFKA_BROKERS'];
  const ownBroker = !brokers;
  if (!brokers) {
    brokers = /KAFKA_BROKERS=(\S+)/.exec(
      kafkaCli('start', '--name', BROKER.name, '--port', BROKER.port),
    )?.[1];
    if (!brokers) throw new Error('tools/kafka did not start a broker');
  }
  const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.ERROR });
  let sandbox: RunningCrmSandbox | undefined;
  const database = await createTestDatabase('ld_bench_connectors');
  const children = new Map<Crm, RunningProcess>();
  const images: string[] = [];
  try {
    if (process.env['SKIP_BUILD'] !== '1') {
      console.log('building the connectors (nx build connector-salesforce connector-hubspot)...');
      execFileSync(
        join(ROOT, 'node_modules/.bin/nx'),
        ['run-many', '-t', 'build', '-p', ...CRMS.map((crm) => crm.connector), '--output-style=static'],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NX_DAEMON: 'false' } },
      );
    }
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, topicCatalogue());
    await admin.disconnect();
    for (const crm of CRMS) {
      const group = crm.connector;
      const topics = [TOPICS.leadEnriched, retryTopicOf(TOPICS.leadEnriched, group)];
      await skipExistingRecords(kafka, group, topics);
      console.log(
        `${group}: starting after what ${topics.join(' and ')} already hold; DLQ ${dlqTopicOf(TOPICS.leadEnriched, group)}`,
      );
    }
    sandbox = await startCrmSandbox({
      SANDBOX_LATENCY_MS: LATENCY_MS,
      SANDBOX_REQUEST_LOG_LIMIT: '1000000',
      SALESFORCE_ORGS: accountIds
        .map((_, index) => `${orgId(index)}:bench-client-${index}:bench-secret-${index}-0123456789`)
        .join(','),
      HUBSPOT_PORTALS: accountIds.map((_, index) => `${portalId(index)}:${portalToken(index)}`).join(','),
    });

    let started = Date.now();
    await produce(kafka);
    console.log(
      `pre-produced ${LEADS} enriched leads (${ACCOUNTS} accounts, both CRMs) in ${seconds(Date.now() - started)}`,
    );

    const dir = mkdtempSync(join(tmpdir(), 'bench-connectors-'));
    const dirs = new Map(CRMS.map((crm) => [crm, connectorDir(crm)]));
    if (AS_PODS) images.push(...dirs.values());
    started = Date.now();
    const setting = { brokers, sandboxUrl: sandbox.url, databaseUrl: database.url, dir };
    for (const crm of CRMS) {
      children.set(crm, startConnector(crm, join(dirs.get(crm) as string, 'main.js'), setting));
    }
    const results = await measure(sandbox, started, children);
    console.log(`
connectors benchmark on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version} (broker, crm-sandbox and both connectors on it)
${LEADS} leads over ${ACCOUNTS} accounts (each its own org and portal), crm-sandbox latency ${LATENCY_MS} ms per call; times include each connector's startup
${podModeLine(AS_PODS)}${results.map(report).join('\n')}`);
  } finally {
    await Promise.all([...children.values()].map((running) => running.stop()));
    for (const image of images) rmSync(image, { recursive: true, force: true });
    await sandbox?.stop();
    await database.drop();
    if (ownBroker) kafkaCli('stop', '--name', BROKER.name);
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
