// Throughput of the enrichment service on a real broker: N received leads are put on leads.received.v1
// first, then the app is started and drains them (published and committed). It uses the broker's shared
// topics, so never point it at a broker that matters. Run (ts-node, since Nest needs decorator metadata):
//   KAFKA_BROKERS=127.0.0.1:19202 N=20000 CONSUMER_PARTITIONS_CONCURRENTLY=3 \
//     node -r ts-node/register/transpile-only -r tsconfig-paths/register apps/enrichment/test/throughput.bench.ts
import { CONSUMER_GROUPS, LEAD_RECEIVED_V1, TOPICS } from '@lead-delivery/contracts';
import { EventPublisher, cloudEventHeaders, IdempotentProducer } from '@lead-delivery/messaging';
import { createLogger } from '@lead-delivery/observability';
import {
  aStandardLead,
  anEnhancedLead,
  committedOffsets,
  skipExistingRecords,
  testKafka,
} from '@lead-delivery/testing';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadEnrichmentConfig } from '../src/app.config';
import { createEnrichmentApp } from '../src/create-app';

async function main(): Promise<void> {
  const count = Number(process.env['N'] ?? 20_000);
  const kafka = testKafka('enrichment-bench');
  const producer = new IdempotentProducer(kafka);
  await producer.connect();
  const publisher = new EventPublisher(producer, { source: '/gateway', maxBatchRecords: 1_000 });
  await skipExistingRecords(kafka, CONSUMER_GROUPS.enrichment, [TOPICS.leadReceived]);

  const sends: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    const lead = index % 2 === 0 ? anEnhancedLead() : aStandardLead();
    const value = { ...lead, warnings: [], raw: { ...lead } };
    const headers = cloudEventHeaders(LEAD_RECEIVED_V1, value, '/gateway', { accountId: 'acct-austin' });
    sends.push(
      publisher.send({
        topic: TOPICS.leadReceived,
        key: lead.lead_id,
        value: JSON.stringify(value),
        headers,
      }),
    );
  }
  await Promise.all(sends);
  await producer.disconnect();

  const admin = kafka.admin();
  await admin.connect();
  const ends = Object.fromEntries(
    (await admin.fetchTopicOffsets(TOPICS.leadReceived)).map(({ partition, high }) => [
      partition,
      Number(high),
    ]),
  );
  await admin.disconnect();

  const config = loadEnrichmentConfig({
    ...process.env,
    ROUTING_RULES_FILE: join(__dirname, '../../../config/local/routing.json'),
  });
  const app = await createEnrichmentApp(config, createLogger({ service: 'enrichment', level: 'warn' }));
  const started = Date.now();
  await app.startAllMicroservices();
  await app.init();
  for (;;) {
    const committed = await committedOffsets(kafka, CONSUMER_GROUPS.enrichment, TOPICS.leadReceived);
    if (Object.entries(ends).every(([partition, end]) => (committed[Number(partition)] ?? -1) >= end)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (Date.now() - started) / 1000;
  await app.close();
  console.log(
    `${count} leads enriched, published and committed in ${seconds.toFixed(1)} s ` +
      `(${Math.round(count / seconds)} leads/s, group join included) on ${cpus().length} × ${cpus()[0]?.model}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
