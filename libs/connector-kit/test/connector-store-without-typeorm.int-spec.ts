// The connectors never load TypeORM: the store migrates its schema with node-postgres alone, in the history
// format of the TypeORM runner earlier releases used, so their databases are continued, not migrated again.
jest.mock('typeorm', () => {
  throw new Error('TypeORM was loaded');
});

import { createTestDatabase, type TestDatabase } from '@lead-delivery/testing';
import { Client } from 'pg';
import type * as TypeORM from 'typeorm';
import { CONNECTOR_MIGRATIONS_TABLE, openConnectorStore, type ConnectorStore } from '../src';
import { CreateDeliveryLedger1766900000000 } from '../src/store/migrations/1766900000000-create-delivery-ledger.migration';
import { CreateLedgerEpoch1766900000001 } from '../src/store/migrations/1766900000001-create-ledger-epoch.migration';
import { CreateCallBudgets1767000000000 } from '../src/store/migrations/1767000000000-create-call-budgets.migration';

const MIGRATIONS = [
  'CreateDeliveryLedger1766900000000',
  'CreateLedgerEpoch1766900000001',
  'CreateCallBudgets1767000000000',
];
const logger = { warn: jest.fn(), error: jest.fn() };

describe('connector store without TypeORM', () => {
  const databases: TestDatabase[] = [];
  const stores: ConnectorStore[] = [];

  const open = async (url: string) => {
    const store = await openConnectorStore(
      { CONNECTOR_DATABASE_URL: url, CONNECTOR_DATABASE_POOL_SIZE: 1 },
      { logger, applicationName: 'store-without-typeorm-int-spec' },
    );
    stores.push(store);
    return store;
  };
  const freshDatabase = async () => {
    const database = await createTestDatabase('ld_store_no_typeorm');
    databases.push(database);
    return database.url;
  };

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.onApplicationShutdown()));
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('migrates a fresh database and opens its pool', async () => {
    const store = await open(await freshDatabase());

    const history = await store.pool.query(
      `SELECT "timestamp", name FROM ${CONNECTOR_MIGRATIONS_TABLE} ORDER BY id`,
    );
    expect(history.rows).toEqual(MIGRATIONS.map((name) => ({ timestamp: name.slice(-13), name })));
    const epoch = await store.pool.query('SELECT count(*)::int AS rows FROM connector_ledger_epoch');
    expect(epoch.rows).toEqual([{ rows: 1 }]);
  });

  it('continues a database the TypeORM runner of earlier releases migrated, running nothing again', async () => {
    const url = await freshDatabase();
    await migrateAsEarlierReleases(url);
    const epochBefore = await installedAt(url);

    const store = await open(url);

    const history = await store.pool.query(`SELECT id, name FROM ${CONNECTOR_MIGRATIONS_TABLE} ORDER BY id`);
    expect(history.rows).toEqual(MIGRATIONS.map((name, index) => ({ id: index + 1, name })));
    expect(await installedAt(url)).toEqual(epochBefore);
  });
});

/** What openConnectorStore did before it stopped loading TypeORM (runMigrationsExclusively's executor). */
async function migrateAsEarlierReleases(url: string): Promise<void> {
  const { DataSource, MigrationExecutor } = jest.requireActual<typeof TypeORM>('typeorm');
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: [
      CreateDeliveryLedger1766900000000,
      CreateLedgerEpoch1766900000001,
      CreateCallBudgets1767000000000,
    ],
    migrationsTableName: CONNECTOR_MIGRATIONS_TABLE,
    logging: false,
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    const executor = new MigrationExecutor(dataSource);
    executor.transaction = 'all';
    expect((await executor.executePendingMigrations()).map(({ name }) => name)).toEqual(MIGRATIONS);
  } finally {
    await dataSource.destroy();
  }
}

async function installedAt(url: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT installed_at FROM connector_ledger_epoch')).rows;
  } finally {
    await client.end();
  }
}
