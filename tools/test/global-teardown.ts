import './register-workspace-paths';
import { Client } from 'pg';
import { adminDatabaseUrl } from '@lead-delivery/testing';
import { stopTestBroker } from './test-services';

export default async function globalTeardown(): Promise<void> {
  const name = process.env['LD_TEST_DATABASE_NAME'];
  if (name) {
    delete process.env['LD_TEST_DATABASE_NAME'];
    const client = new Client({ connectionString: adminDatabaseUrl() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
  if (process.env['LD_TEST_STARTED_KAFKA']) {
    delete process.env['LD_TEST_STARTED_KAFKA'];
    stopTestBroker();
  }
}
