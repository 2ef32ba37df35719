import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PersistenceMetrics } from '../../persistence.metrics';
import { ErasureStore } from '../../privacy/erasure-store';
import { IdentityHasher } from '../../privacy/identity-hasher';
import { ReadApiModule } from '../read-api.module';
import { readApiDocument } from './read-api-document';

/** The committed document: `npm run openapi:read-api` writes it, a test fails when it is stale. */
export const READ_API_OPENAPI_FILE = join(__dirname, '..', '..', '..', 'read-api.openapi.json');

/**
 * The document the read API serves, from its module graph alone: the DataSource is never initialised,
 * so nothing connects to PostgreSQL (or Kafka, which the read API does not use).
 */
export async function generateReadApiDocument(): Promise<OpenAPIObject> {
  const dataSource = new DataSource({ type: 'postgres' });
  const app = await NestFactory.create(
    ReadApiModule.register({
      dataSource,
      metrics: new PersistenceMetrics(new Registry()),
      erasures: new ErasureStore(dataSource, new IdentityHasher('unused'), 1),
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
