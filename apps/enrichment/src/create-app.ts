import { CONSUMER_GROUPS } from '@lead-delivery/contracts';
import { EventPublisher, KAFKA_CLIENT } from '@lead-delivery/messaging';
import { connectKafkaConsumer } from '@lead-delivery/messaging/nest-transport';
import { METRICS_REGISTRY, consumerMetrics, createServiceApp } from '@lead-delivery/observability';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EnrichmentAppConfig } from './app.config';
import { AppModule } from './app.module';

// Records are slices of their fetch response, held until their batch is published and committed:
// kafkajs' defaults (1 MiB per partition, 10 MiB per fetch) let one fetch hold a backlog of thousands of
// leads; a few hundred per partition keep the batches full.
const FETCH = { maxBytesPerPartition: 512 * 1024, maxBytes: 2 * 1024 * 1024 };

/**
 * The enrichment app with its consumer group connected, not yet started: main.ts starts it, integration
 * tests call `startAllMicroservices()` and `init()`.
 */
export async function createEnrichmentApp(
  config: EnrichmentAppConfig,
  logger: Logger,
): Promise<INestApplication> {
  const app = await createServiceApp(AppModule.register(config, logger));
  const groupId = CONSUMER_GROUPS.enrichment;
  connectKafkaConsumer(app, {
    kafka: app.get(KAFKA_CLIENT),
    groupId,
    deadLetters: app.get(EventPublisher),
    logger,
    observer: consumerMetrics(app.get(METRICS_REGISTRY), groupId),
    maxRecordAttempts: config.recordFailure.CONSUMER_RECORD_MAX_ATTEMPTS,
    stallTimeoutMs: config.consumerStall.CONSUMER_STALL_TIMEOUT_MS,
    partitionsConsumedConcurrently: config.enrichment.CONSUMER_PARTITIONS_CONCURRENTLY,
    maxRecordsPerCall: config.enrichment.CONSUMER_MAX_BATCH_RECORDS,
    fetch: FETCH,
  });
  return app;
}
