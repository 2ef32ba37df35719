import './register-workspace-paths';
import { topicCatalogue } from '@lead-delivery/contracts';
import { provisionTopics } from '@lead-delivery/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { adminDatabaseUrl, createTestDatabase } from '@lead-delivery/testing';
import { startTestBroker, testBrokerVersion } from './test-services';

/**
 * Integration-test services: a real Kafka broker (KAFKA_BROKERS, else tools/kafka's `test` instance) with
 * the catalogue's topics, and a throwaway PostgreSQL database (DATABASE_URL for the tests). Runs once per
 * Jest run even when several projects list it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['LD_TEST_SERVICES_READY']) return;

  if (!process.env['KAFKA_BROKERS']) {
    process.env['KAFKA_BROKERS'] = startTestBroker();
    process.env['LD_TEST_STARTED_KAFKA'] = '1';
  }
  const brokers = process.env['KAFKA_BROKERS'].split(',');
  const admin = new Kafka({ clientId: 'test-setup', brokers, logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    await provisionTopics(admin, topicCatalogue(), { partitions: 3 });
  } finally {
    await admin.disconnect();
  }

  const database = await createTestDatabase();
  process.env['DATABASE_URL'] = database.url;
  process.env['LD_TEST_DATABASE_NAME'] = database.name;

  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();

  process.env['LD_TEST_SERVICES_READY'] = '1';
  const version = testBrokerVersion();
  console.log(
    `\nIntegration services: Apache Kafka ${version ?? '(version unknown: external broker)'} at ${brokers.join(',')}; ` +
      `PostgreSQL ${rows[0]?.server_version} database ${database.name}\n`,
  );
}
