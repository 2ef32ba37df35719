import { loadConfig } from '@lead-delivery/config';
import { DlqStore } from '@lead-delivery/dead-letters';
import { KafkaConfig, createKafkaClient, silentLogger } from '@lead-delivery/messaging';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PersistenceMetrics } from '../../persistence.metrics';
import { ErasureStore } from '../../privacy/erasure-store';
import { IdentityHasher } from '../../privacy/identity-hasher';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { CrmRecordLinks } from '../leads/crm-record-links';
import { ReadApiModule } from '../read-api.module';
import { readApiDocument } from './read-api-document';

/** The committed document: `npm run openapi:read-api` writes it, a test fails when it is stale. */
export const READ_API_OPENAPI_FILE = join(__dirname, '..', '..', '..', 'read-api.openapi.json');

/**
 * The document the read API serves, from its module graph alone: the DataSource is never initialised,
 * and the dead letters' Kafka admin never connects, so nothing connects to PostgreSQL or Kafka.
 */
export async function generateReadApiDocument(): Promise<OpenAPIObject> {
  const dataSource = new DataSource({ type: 'postgres' });
  const { kafka } = loadConfig({ kafka: KafkaConfig }, { KAFKA_BROKERS: '127.0.0.1:9' });
  const app = await NestFactory.create(
    ReadApiModule.register({
      dataSource,
      metrics: new PersistenceMetrics(new Registry()),
      erasures: new ErasureStore(dataSource, new IdentityHasher('unused'), 1),
      deadLetters: new DeadLettersService(new DlqStore(createKafkaClient(kafka, 'openapi', silentLogger))),
      crmRecordLinks: new CrmRecordLinks(),
      operatorTokens: [],
      phoneDefaultCountry: 'US',
      logger: pino({ enabled: false }),
    }),
    { logger: false, abortOnError: false },
  );
  try {
    return readApiDocument(app);
  } finally {
    await app.close();
  }
}
