// One client under test in its own process (so RSS is its own): produce, then consume, then print one
// JSON line of results. Started by bench-clients.ts: `tsx bench-clients.worker.ts <client> <brokers> <topic>`.
import { randomUUID } from 'node:crypto';
import type { BenchRecord, ClientUnderTest } from './bench-clients.client';

const BATCHED_RECORDS = Number(process.env['BENCH_CLIENTS_RECORDS'] ?? 50_000);
const BATCH_SIZE = 500;
const CONCURRENT_RECORDS = Number(process.env['BENCH_CLIENTS_CONCURRENT_RECORDS'] ?? 5_000);
const CONCURRENCY = 64;

export interface WorkerResult {
  client: string;
  batchedPerSecond: number;
  concurrentPerSecond: number;
  consumedPerSecond: number;
  consumeJoinMs: number;
  /** Before and after loading the client's modules, and the peak while producing and consuming. */
  bareRssMb: number;
  loadedRssMb: number;
  peakRssMb: number;
}

// Loaded on demand, so a process holds the module graph of its own client only.
const CLIENTS: Record<string, () => Promise<(brokers: string[]) => ClientUnderTest>> = {
  kafkajs: async () => (await import('./bench-clients.kafkajs')).kafkajsClient,
  platformatic: async () => (await import('./bench-clients.platformatic')).platformaticClient,
};

/** About the size and shape of a leads.received.v1 record: ~1 KB JSON value, CloudEvents headers. */
function aRecord(): BenchRecord {
  const leadId = randomUUID();
  const value = JSON.stringify({
    lead_id: leadId,
    timestamp: new Date().toISOString(),
    contact: { first_name: 'Maria', last_name: 'Lopez', email: 'maria@example.com', phone: '+15125550100' },
    property: { address: '100 Congress Ave', city: 'Austin', state: 'TX', zip: '78701', price: 525_000 },
    message: 'I would like to schedule a showing this weekend. '.repeat(8),
    warnings: [],
  });
  return {
    key: leadId,
    value,
    headers: {
      ce_specversion: '1.0',
      ce_id: randomUUID(),
      ce_type: 'com.example.lead.received.v1',
      ce_source: '/bench',
      ce_time: new Date().toISOString(),
      ce_subject: leadId,
      'content-type': 'application/json',
      'x-account-id': 'bench',
      'x-lead-kind': 'standard',
    },
  };
}

async function main(): Promise<void> {
  const [name, brokers, topic] = process.argv.slice(2);
  const load = name ? CLIENTS[name] : undefined;
  if (!load || !brokers || !topic)
    throw new Error(`usage: <${Object.keys(CLIENTS).join('|')}> <brokers> <topic>`);
  const bareRssMb = rssMb();
  const client = (await load())(brokers.split(','));
  const loadedRssMb = rssMb();
  let peakRssMb = loadedRssMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb())), 50);

  await client.connectProducer();
  await client.send(topic, [aRecord()]); // warm-up: metadata, producer id
  const batchedPerSecond = await rate(BATCHED_RECORDS, async () => {
    for (let sent = 0; sent < BATCHED_RECORDS; sent += BATCH_SIZE) {
      await client.send(topic, Array.from({ length: BATCH_SIZE }, aRecord));
    }
  });
  // One record per send from many callers at once, as a naive per-request server would do.
  const concurrentPerSecond = await rate(CONCURRENT_RECORDS, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < CONCURRENT_RECORDS) await client.send(topic, [aRecord()]);
      }),
    );
  });
  await client.disconnectProducer();

  const total = 1 + BATCHED_RECORDS + CONCURRENT_RECORDS;
  const subscribed = performance.now();
  let firstAt = 0;
  let consumed = 0;
  const lastAt = await new Promise<number>((resolve, reject) => {
    client
      .consume(topic, `bench-${name}-${randomUUID()}`, (count) => {
        if (consumed === 0) firstAt = performance.now();
        consumed += count;
        if (consumed >= total) resolve(performance.now());
      })
      .catch(reject);
  });
  await client.disconnectConsumer();
  clearInterval(sampler);

  const result: WorkerResult = {
    client: name as string,
    batchedPerSecond,
    concurrentPerSecond,
    consumedPerSecond: (total / (lastAt - firstAt)) * 1_000,
    consumeJoinMs: firstAt - subscribed,
    bareRssMb,
    loadedRssMb,
    peakRssMb: Math.max(peakRssMb, rssMb()),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function rate(records: number, work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (records / (performance.now() - started)) * 1_000;
}

function rssMb(): number {
  return process.memoryUsage.rss() / 2 ** 20;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
