// `npm run bench:persistence`: how fast the persistence service stores leads. For each scenario it
// pre-produces LEADS leads (default 50,000): received events only, then each lead's whole life (received,
// enriched, delivered: three events); then starts the real service (its webpack build, as a child
// process) on a fresh database and times how long it takes until every lead is stored. Prints leads/s,
// events/s, the CPU time per lead of the service and of a local PostgreSQL server (on saturated cores,
// what sets the rate, and steadier than it from run to run) and the service's peak RSS. Kafka: KAFKA_BROKERS, else a tools/kafka broker of its own; PostgreSQL: TEST_ADMIN_DATABASE_URL
// or the local server. A script, not a test: it asserts nothing and is not part of `npm test`.
// SCENARIOS=lifecycle runs only that scenario (comma-separated: received, lifecycle); SERVICE_NODE_OPTIONS
// are node flags for the service only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it);
// SERVICE_MAIN runs a service build kept elsewhere (e.g. a copy of the previous commit's dist, for a
// before/after pair) instead of building this checkout's.
import {
  CONSUMER_GROUPS,
  LEAD_DELIVERY_V1,
  LEAD_ENRICHED_V1,
  LEAD_RECEIVED_V1,
  TOPICS,
  topicCatalogue,
  type EnhancedLead,
} from '@lead-delivery/contracts';
import {
  EventPublisher,
  IdempotentProducer,
  provisionTopics,
  stopIdleRequestQueuePolling,
} from '@lead-delivery/messaging';
import { anEnhancedLead, createTestDatabase, skipExistingRecords } from '@lead-delivery/testing';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { commandName, cpuMs, parentPid, peakRssMb, processTreeCpuMs } from './bench-support';

const ROOT = join(__dirname, '..', '..');
const LEADS = Number(process.env['LEADS'] ?? 50_000);
const BROKER = { name: 'bench', port: '19393' };
const PORT = 39_180;
// The bench reads nothing from the read API; the service still needs a token and a hash key to start.
const OPERATOR_TOKENS = JSON.stringify([
  {
    name: 'bench',
    sha256: createHash('sha256').update('bench-operator-token-0123456789abcdef').digest('hex'),
    scopes: ['read'],
  },
]);
const ERASURE_HASH_KEY = 'bench-erasure-hash-key-0123456789abcdef';
const PRODUCE_CHUNK = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function kafkaCli(...args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'tools/kafka/kafka.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

type Scenario = 'received' | 'lifecycle';
const SCENARIOS: Record<Scenario, { events: number; title: string; complete: string }> = {
  received: {
    events: 1,
    title: 'received events only',
    complete: 'SELECT count(*)::int AS complete FROM leads WHERE received_at IS NOT NULL',
  },
  lifecycle: {
    events: 3,
    title: 'received, enriched and delivered',
    complete: `SELECT count(*)::int AS complete FROM leads l JOIN crm_deliveries d USING (lead_id)
      WHERE l.received_at IS NOT NULL AND l.enriched_at IS NOT NULL AND d.status = 'delivered'`,
  },
};

const SERVICE_NODE_ARGS = (process.env['SERVICE_NODE_OPTIONS'] ?? '').split(/\s+/).filter(Boolean);

function scenariosToRun(): Scenario[] {
  const wanted = process.env['SCENARIOS']?.split(',').map((name) => name.trim()) ?? Object.keys(SCENARIOS);
  const unknown = wanted.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}`);
  return wanted as Scenario[];
}

const SERVICE_MAIN = process.env['SERVICE_MAIN'];

async function serviceMetrics(): Promise<string> {
  return (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
}

/** Events the service has committed (new and replayed), by its persistence_events_total counters. */
function eventsWritten(metrics: string): number {
  return [...metrics.matchAll(/^persistence_events_total\{[^}]*\} (\S+)$/gm)].reduce(
    (sum, [, count]) => sum + Number(count),
    0,
  );
}

/** Seconds the service spent writing batches, per topic (its persistence_upsert_duration_seconds sums). */
function writeSecondsByTopic(metrics: string): string {
  const sums = [
    ...metrics.matchAll(/^persistence_upsert_duration_seconds_sum\{.*topic="([^"]+)".*\} (\S+)$/gm),
  ];
  const counts = new Map(
    [...metrics.matchAll(/^persistence_upsert_duration_seconds_count\{.*topic="([^"]+)".*\} (\S+)$/gm)].map(
      ([, topic, count]) => [topic, Number(count)],
    ),
  );
  return sums
    .map(([, topic, sum]) => `${topic} ${Number(sum).toFixed(1)} s in ${counts.get(topic as string)} batches`)
    .join(', ');
}

function eventsOf(publisher: EventPublisher, lead: EnhancedLead, scenario: Scenario): Promise<void>[] {
  const envelope = { accountId: 'acct-bench', leadKind: 'enhanced' as const };
  const received = publisher.publish(LEAD_RECEIVED_V1, { ...lead, warnings: [], raw: { ...lead } }, envelope);
  if (scenario === 'received') return [received];
  const leadTime = Date.parse(lead.timestamp);
  const email = lead.contact.email.toLowerCase();
  return [
    received,
    publisher.publish(
      LEAD_ENRICHED_V1,
      {
        lead,
        kind: 'enhanced',
        enrichment: {
          score: 72,
          tier: 'warm',
          reasons: [{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }],
          model_version: 'bench',
          person_key: email,
          normalized: { email, phone_e164: '+15125550142', full_name: 'Maria Gonzalez' },
        },
        routing: { account_id: 'acct-bench', destinations: ['hubspot'] },
      },
      envelope,
    ),
    publisher.publish(
      LEAD_DELIVERY_V1,
      {
        lead_id: lead.lead_id,
        account_id: 'acct-bench',
        destination: 'hubspot',
        outcome: 'delivered',
        crm_record_id: `hs-${lead.lead_id}`,
        attempts: 1,
        error: null,
        lead_timestamp: lead.timestamp,
        delivered_at: new Date(leadTime + 2_000 + (leadTime % 3_000)).toISOString(),
        occurred_at: new Date(leadTime + 2_000).toISOString(),
      },
      envelope,
    ),
  ];
}

async function produce(kafka: Kafka, leads: EnhancedLead[], scenario: Scenario): Promise<void> {
  const producer = new IdempotentProducer(kafka);
  await producer.connect();
  const publisher = new EventPublisher(producer, { source: '/bench', maxBatchRecords: 1_000 });
  try {
    for (let from = 0; from < leads.length; from += PRODUCE_CHUNK) {
      await Promise.all(
        leads.slice(from, from + PRODUCE_CHUNK).flatMap((lead) => eventsOf(publisher, lead, scenario)),
      );
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * A broker restarted with the topics already there (so provisioning waits for nothing) answers "not the
 * leader for that topic-partition" until it has elected its partitions' leaders: the offsets are asked again.
 */
async function skipExistingRecordsOnceServing(kafka: Kafka): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await skipExistingRecords(kafka, CONSUMER_GROUPS.persistence, Object.values(TOPICS));
    } catch (error) {
      if (attempt === 30 || !/not the leader/i.test((error as Error).message)) throw error;
      await sleep(1_000);
    }
  }
}

/** Pre-produces the leads, then times the service from start to the last lead stored, on a fresh database. */
async function runScenario(kafka: Kafka, brokers: string, scenario: Scenario): Promise<string> {
  const { events, title, complete } = SCENARIOS[scenario];
  await skipExistingRecordsOnceServing(kafka);
  const leads = Array.from({ length: LEADS }, () => anEnhancedLead());
  let started = Date.now();
  await produce(kafka, leads, scenario);
  console.log(
    `${scenario}: pre-produced ${LEADS} leads (${LEADS * events} events) in ${seconds(Date.now() - started)}`,
  );

  const database = await createTestDatabase('ld_bench_persistence');
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const postgres = await localPostmasterPid(db);
  try {
    const service = spawn(
      process.execPath,
      [...SERVICE_NODE_ARGS, SERVICE_MAIN ?? join(ROOT, 'dist/apps/persistence/main.js')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          KAFKA_BROKERS: brokers,
          DATABASE_URL: database.url,
          OPERATOR_TOKENS,
          ERASURE_HASH_KEY,
          PORT: String(PORT),
          READ_API_PORT: '0',
          LOG_LEVEL: 'warn',
        },
      },
    );
    started = Date.now();
    let ready: number | undefined;
    let done: number | undefined;
    let cpuAtReady = { service: 0, postgres: 0 };
    while (done === undefined) {
      await sleep(100);
      if (service.exitCode !== null) throw new Error(`the service exited with code ${service.exitCode}`);
      if (ready === undefined) {
        const response = await fetch(`http://127.0.0.1:${PORT}/health/ready`).catch(() => undefined);
        if (response?.ok) {
          ready = Date.now();
          cpuAtReady = { service: cpuMs(service.pid), postgres: postgres ? processTreeCpuMs(postgres) : 0 };
        }
        continue;
      }
      if (Date.now() - started > 15 * 60_000) throw new Error(`not every lead stored after 15 min`);
      // The service's counters say when every event is committed; only then does the database confirm it
      // (polling the database all along would load the server being measured).
      if (eventsWritten(await serviceMetrics()) < LEADS * events) continue;
      const { rows } = await db.query<{ complete: number }>(complete);
      if ((rows[0]?.complete ?? 0) >= LEADS) done = Date.now();
      else await sleep(1_000);
    }
    const cpuPerLead = (ms: number) => `${(ms / LEADS).toFixed(3)} ms`;
    const cpu = `service ${cpuPerLead(cpuMs(service.pid) - cpuAtReady.service)}, PostgreSQL ${
      postgres ? cpuPerLead(processTreeCpuMs(postgres) - cpuAtReady.postgres) : 'not local'
    }`;
    const peak = peakRssMb(service.pid);
    const writing = writeSecondsByTopic(await serviceMetrics());
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    const consumeMs = done - (ready as number);
    const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));
    return `
  ${LEADS} leads, ${title} (${LEADS * events} events)
    service startup    ${seconds((ready as number) - started)} (connect, migrate, join the group)
    persisted all in   ${seconds(consumeMs)} after ready (${seconds(done - started)} after start)
    throughput         ${perSecond(LEADS, consumeMs)} leads/s, ${perSecond(LEADS * events, consumeMs)} events/s (startup included: ${perSecond(LEADS, done - started)} leads/s)
    CPU per lead       ${cpu} (from ready to the last lead stored)
    peak RSS           ${peak.toFixed(0)} MiB
    batch writes       ${writing}`;
  } finally {
    await db.end().catch(() => undefined);
    await database.drop();
  }
}

/**
 * The PostgreSQL server's postmaster when it runs on this machine (the parent of this connection's
 * backend), so that its CPU per lead is measured with the service's; undefined for a remote server.
 */
async function localPostmasterPid(db: Client): Promise<number | undefined> {
  const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const backend = rows[0]?.pid;
  return commandName(backend) === 'postgres' ? parentPid(backend) : undefined;
}

async function main(): Promise<void> {
  let brokers = process.env['KAFKA_BROKERS'];
  const ownBroker = !brokers;
  if (!brokers) {
    // Fresh every run: a group member left by a service that died in an earlier run would refuse the
    // offset reset below ("must have no running instances") until its session expired.
    brokers = /KAFKA_BROKERS=(\S+)/.exec(
      kafkaCli('start', '--name', BROKER.name, '--port', BROKER.port, '--fresh'),
    )?.[1];
    if (!brokers) throw new Error('tools/kafka did not start a broker');
  }
  // The pre-producer's idle connection would otherwise poll itself on the cores the service is measured on.
  stopIdleRequestQueuePolling();
  const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.ERROR });
  try {
    if (SERVICE_MAIN) console.log(`service: ${SERVICE_MAIN}`);
    else {
      console.log('building the service (nx build persistence)...');
      execFileSync(join(ROOT, 'node_modules/.bin/nx'), ['build', 'persistence', '--output-style=static'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, NX_DAEMON: 'false' },
      });
    }
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, topicCatalogue());
    await admin.disconnect();
    const results = [];
    for (const scenario of scenariosToRun()) results.push(await runScenario(kafka, brokers, scenario));
    console.log(`
persistence benchmark on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB (broker, PostgreSQL and service on it)${results.join('\n')}`);
  } finally {
    if (ownBroker) kafkaCli('stop', '--name', BROKER.name);
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
