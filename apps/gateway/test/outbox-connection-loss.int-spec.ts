import { DatabaseConfig } from '@lead-delivery/config';
import { createTestDatabase, expectEventually, type TestDatabase } from '@lead-delivery/testing';
import { Client } from 'pg';
import pino from 'pino';
import { GatewayConfig } from '../src/app.config';
import { OutboxStore } from '../src/outbox/outbox-store';

const record = { topic: 'leads.received.v1', key: 'lead-1', value: '{"lead_id":"lead-1"}', headers: {} };

/** Ends every connection to the test database but the caller's, as a PostgreSQL restart does. */
async function terminateOtherBackends(url: string): Promise<number> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe('outbox: a lost PostgreSQL connection (real PostgreSQL)', () => {
  let database: TestDatabase;
  let store: OutboxStore;

  beforeEach(async () => {
    database = await createTestDatabase('gateway_connection_loss_test');
    store = new OutboxStore(
      Object.assign(new DatabaseConfig(), { DATABASE_URL: database.url, DATABASE_POOL_SIZE: 2 }),
      new GatewayConfig(),
      pino({ level: 'silent' }),
    );
    store.onModuleInit();
    await expectEventually(() => expect(store.ready).toBe(true));
  });

  afterEach(async () => {
    await store.onApplicationShutdown();
    await database.drop();
  });

  it('survives losing the connection of a relay pass between two queries, keeps its rows, and relays them later', async () => {
    await store.add(record);

    // The pass holds its transaction's connection while it waits for Kafka: the connection ends meanwhile.
    const pass = store.relayOldest(10, async (entries) => {
      expect(await terminateOtherBackends(database.url)).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return entries.map(() => ({ result: 'relayed' as const }));
    });
    await expect(pass).rejects.toThrow();

    const relayed = await expectEventually(async () =>
      store.relayOldest(10, async (entries) => entries.map(() => ({ result: 'relayed' as const }))),
    );
    expect(relayed).toMatchObject({ offered: 1, relayed: 1 });
    expect(await store.depth()).toBe(0);
  });
});
