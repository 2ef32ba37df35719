import { CONSUMER_GROUPS } from '@lead-delivery/contracts';
import { classifyDatabaseFailure } from '@lead-delivery/database';
import { EventPublisher, KAFKA_CLIENT } from '@lead-delivery/messaging';
import { connectKafkaConsumer } from '@lead-delivery/messaging/nest-transport';
import { METRICS_REGISTRY, consumerMetrics, createServiceApp } from '@lead-delivery/observability';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { PersistenceAppConfig } from './app.config';
import { AppModule } from './app.module';

// Room per record in a partition's fetch: a lead event is 1–3 KiB, and with kafkajs' default of 1 MiB per
// partition a fetch held about half of CONSUMER_MAX_BATCH_RECORDS, so each transaction wrote half a batch.
const FETCH_BYTES_PER_RECORD = 4_096;

/** Fetches that hold a whole batch for each partition written concurrently, and no more. */
function fetchSizing({
  CONSUMER_MAX_BATCH_RECORDS,
  CONSUMER_PARTITIONS_CONCURRENTLY,
}: PersistenceAppConfig['persistence']) {
  const maxBytesPerPartition = CONSUMER_MAX_BATCH_RECORDS * FETCH_BYTES_PER_RECORD;
  return { maxBytesPerPartition, maxBytes: maxBytesPerPartition * CONSUMER_PARTITIONS_CONCURRENTLY };
}

/**
 * The persistence service, not yet started: main.ts starts it; integration tests call
 * `startAllMicroservices()` and `init()` (which also opens the read API on READ_API_PORT).
 * Creating it waits for PostgreSQL and runs the migrations when DATABASE_MIGRATE_ON_START is set.
 */
export async function createPersistenceApp(
  config: PersistenceAppConfig,
  logger: Logger,
): Promise<INestApplication> {
  const app = await createServiceApp(AppModule.register(config, logger));
  const groupId = CONSUMER_GROUPS.persistence;
  connectKafkaConsumer(app, {
    kafka: app.get(KAFKA_CLIENT),
    groupId,
    deadLetters: app.get(EventPublisher),
    logger,
    observer: consumerMetrics(app.get(METRICS_REGISTRY), groupId),
    classifiers: [classifyDatabaseFailure],
    maxRecordAttempts: config.recordFailure.CONSUMER_RECORD_MAX_ATTEMPTS,
    stallTimeoutMs: config.consumerStall.CONSUMER_STALL_TIMEOUT_MS,
    partitionsConsumedConcurrently: config.persistence.CONSUMER_PARTITIONS_CONCURRENTLY,
    maxRecordsPerCall: config.persistence.CONSUMER_MAX_BATCH_RECORDS,
    retryMaxDelayMs: config.persistence.CONSUMER_RETRY_MAX_DELAY_MS,
    fetch: fetchSizing(config.persistence),
  });
  return app;
}
