import { DatabaseConfig } from '@lead-delivery/config';
import { createTestDatabase, type TestDatabase } from '@lead-delivery/testing';
import { Client } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { loadPersistenceConfig } from '../src/app.config';
import { createPersistenceApp } from '../src/create-app';
import {
  MIGRATIONS_TABLE,
  PERSISTENCE_MIGRATIONS,
  createPersistenceDataSource,
} from '../src/database/persistence-data-source';
import { runMigrationsExclusively } from '@lead-delivery/database/typeorm';
import { ERASURE_HASH_KEY, OPERATOR_TOKENS } from './persistence-harness';

const TABLES = ['crm_deliveries', 'erasure_places', 'erasure_requests', 'lead_events', 'leads', 'people'];

describe('persistence schema: TypeORM migrations, never synchronize', () => {
  let database: TestDatabase;
  let client: Client;
  const dataSources: DataSource[] = [];

  const openDataSource = async () => {
    const config = Object.assign(new DatabaseConfig(), { DATABASE_URL: database.url, DATABASE_POOL_SIZE: 2 });
    const dataSource = createPersistenceDataSource(config, {
      statementTimeoutMs: 10_000,
      applicationName: 'migration-test',
    });
    dataSources.push(await dataSource.initialize());
    return dataSource;
  };

  const tables = async () =>
    (
      await client.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      )
    ).rows.map((row) => row.name);

  beforeAll(async () => {
    database = await createTestDatabase('ld_persistence_schema');
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await client.end();
    await database.drop();
  });

  it('does not touch the schema at startup when DATABASE_MIGRATE_ON_START is false', async () => {
    const config = loadPersistenceConfig({
      ...process.env,
      DATABASE_URL: database.url,
      OPERATOR_TOKENS,
      ERASURE_HASH_KEY,
      DATABASE_MIGRATE_ON_START: 'false',
    });
    const app = await createPersistenceApp(config, pino({ level: 'silent' }));
    await app.close();
    expect(await tables()).toEqual([]);
  });

  it('applies the migrations once even when replicas start together, in its own history table', async () => {
    const [first, second] = await Promise.all([openDataSource(), openDataSource()]);
    const applied = await Promise.all([runMigrationsExclusively(first), runMigrationsExclusively(second)]);
    expect(applied.map((migrations) => migrations.length).sort()).toEqual([0, PERSISTENCE_MIGRATIONS.length]);
    expect(await tables()).toEqual([...TABLES, MIGRATIONS_TABLE].sort());
  });

  it('creates exactly the schema the entities describe', async () => {
    const dataSource = await openDataSource();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  // TypeORM's schema diff above does not compare an index's WHERE clause.
  it('indexes tier and person key for enriched leads only, and reads by either still use the index', async () => {
    const indexes = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE indexname IN ('leads_tier_lead_timestamp_idx', 'leads_person_key_idx') ORDER BY 1`,
    );
    expect(indexes.rows.map((index) => [index.name, /WHERE (.*)$/.exec(index.definition)?.[1]])).toEqual([
      ['leads_person_key_idx', '(person_key IS NOT NULL)'],
      ['leads_tier_lead_timestamp_idx', '(tier IS NOT NULL)'],
    ]);

    // Generic plans: the value is a parameter, as in the read API's and the foreign key's queries.
    const indexOf = async (statement: string, values: string) => {
      const session = new Client({ connectionString: database.url });
      await session.connect();
      try {
        await session.query('SET enable_seqscan = off');
        await session.query('SET plan_cache_mode = force_generic_plan');
        await session.query(`PREPARE read_by_index AS ${statement}`);
        const { rows } = await session.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (COSTS OFF) EXECUTE read_by_index(${values})`,
        );
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await session.end();
      }
    };
    expect(
      await indexOf(
        `SELECT lead_id FROM leads WHERE tier = $1::text
         ORDER BY lead_timestamp DESC, lead_id DESC, account_id DESC LIMIT 51`,
        `'hot'`,
      ),
    ).toContain('leads_tier_lead_timestamp_idx');
    expect(
      await indexOf(
        `SELECT lead_id FROM leads WHERE account_id = $1::text AND person_key = $2::text`,
        `'acct-1', 'person-1'`,
      ),
    ).toContain('leads_person_key_idx');
  });

  it('reverts and re-applies cleanly', async () => {
    const dataSource = await openDataSource();
    for (const _migration of PERSISTENCE_MIGRATIONS) await dataSource.undoLastMigration();
    expect(await tables()).toEqual([MIGRATIONS_TABLE]);
    expect(await runMigrationsExclusively(dataSource)).toHaveLength(PERSISTENCE_MIGRATIONS.length);
    expect(await tables()).toEqual([...TABLES, MIGRATIONS_TABLE].sort());
  });
});
