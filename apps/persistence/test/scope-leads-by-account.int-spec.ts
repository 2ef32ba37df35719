import { DatabaseConfig } from '@lead-delivery/config';
import { runMigrationsExclusively } from '@lead-delivery/database/typeorm';
import { createTestDatabase, type TestDatabase } from '@lead-delivery/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { CreateLeadHistory1764300000000 } from '../src/database/migrations/1764300000000-create-lead-history.migration';
import { createPersistenceDataSource } from '../src/database/persistence-data-source';

// A database filled by the schema before leads were scoped by account, then migrated.
const OLD_SCHEMA = [CreateLeadHistory1764300000000];

const T1 = '2026-03-01T10:00:00.000Z';
const T2 = '2026-03-02T10:00:00.000Z';
const T3 = '2026-03-03T10:00:00.000Z';

// The old key held one row per lead_id: `shared` was written by the agent's events and then by the
// brokerage's (its row names the brokerage; the agent's delivery and received event are still there).
const OLD_ROWS = `
  INSERT INTO people (person_key, email, phone_e164, full_name, first_seen_at, last_seen_at) VALUES
    ('maria@example.com', 'maria@example.com', '+15125550142', 'Maria Lopez', '${T1}', '${T2}'),
    ('li@example.com', 'li@example.com', null, 'Li Chen', '${T1}', '${T3}');
  INSERT INTO leads (lead_id, account_id, person_key, email, full_name, tier, destinations, lead_timestamp,
      received_at, enriched_at, raw) VALUES
    ('first', 'agent', 'maria@example.com', 'maria@example.com', 'Maria Lopez', 'hot', '{hubspot,salesforce}',
      '${T1}', '${T1}', '${T1}', '{"lead_id":"first"}'),
    ('second', 'agent', 'maria@example.com', 'maria@example.com', 'Maria Lopez', 'warm', '{hubspot}',
      '${T2}', '${T2}', '${T2}', '{"lead_id":"second"}'),
    ('li-agent', 'agent', 'li@example.com', 'li@example.com', 'Li Chen', 'cold', '{hubspot}',
      '${T1}', '${T1}', '${T1}', null),
    ('li-brokerage', 'brokerage', 'li@example.com', 'li@example.com', 'Li Chen', 'warm', '{hubspot}',
      '${T3}', '${T3}', '${T3}', null),
    ('shared', 'brokerage', null, 'sam@example.com', null, null, null, '${T2}', '${T2}', null, null),
    ('stub', null, null, null, null, null, null, '${T3}', null, null, null);
  INSERT INTO crm_deliveries (lead_id, destination, account_id, status, crm_record_id, attempts, lead_timestamp,
      delivered_at, speed_to_lead_ms, last_event_at) VALUES
    ('first', 'hubspot', 'agent', 'delivered', 'hs-1', 1, '${T1}', '${T2}', 86400000, '${T2}'),
    ('first', 'salesforce', 'agent', 'pending', null, 0, '${T1}', null, null, null),
    ('second', 'hubspot', null, 'failed', null, 2, '${T2}', null, null, '${T3}'),
    ('shared', 'hubspot', 'agent', 'delivered', 'hs-2', 1, '${T2}', '${T3}', 86400000, '${T3}'),
    ('stub', 'salesforce', 'brokerage', 'delivered', '00Q1', 1, '${T3}', '${T3}', 0, '${T3}');
  INSERT INTO lead_events (event_source, event_id, lead_id, type, destination, occurred_at, details) VALUES
    ('/gateway', 'r-first', 'first', 'received', null, '${T1}', '{"account_id":"agent"}'),
    ('/enrichment', 'e-first', 'first', 'enriched', null, '${T1}', '{"tier":"hot"}'),
    ('/connector-hubspot', 'd-first', 'first', 'delivered', 'hubspot', '${T2}', '{"attempts":1}'),
    ('/gateway', 'r-second', 'second', 'received', null, '${T2}', '{"account_id":"agent"}'),
    ('/gateway', 'r-shared-agent', 'shared', 'received', null, '${T2}', '{"account_id":"agent"}'),
    ('/gateway', 'r-shared-brokerage', 'shared', 'received', null, '${T2}', '{"account_id":"brokerage"}'),
    ('/connector-salesforce', 'd-stub', 'stub', 'delivered', 'salesforce', '${T3}', '{"attempts":1}');`;

const SCOPE_MIGRATION_TIME = 1765500000000;
const migrationTime = (migration: object) => Number(/\d{13}$/.exec(migration.constructor.name)?.[0] ?? 0);

describe('migration ScopeLeadsByAccount: existing rows move to keys with the account', () => {
  let database: TestDatabase;
  let client: Client;
  const dataSources: DataSource[] = [];

  const openDataSource = async (migrations?: DataSource['options']['migrations']) => {
    const config = Object.assign(new DatabaseConfig(), { DATABASE_URL: database.url, DATABASE_POOL_SIZE: 2 });
    const dataSource = createPersistenceDataSource(config, {
      statementTimeoutMs: 10_000,
      applicationName: 'migration-test',
    });
    if (migrations) dataSource.setOptions({ migrations });
    dataSources.push(await dataSource.initialize());
    return dataSource;
  };
  const rows = async (sql: string) => (await client.query(sql)).rows;

  beforeAll(async () => {
    database = await createTestDatabase('ld_persistence_scope');
    client = new Client({ connectionString: database.url });
    await client.connect();
    expect(await runMigrationsExclusively(await openDataSource(OLD_SCHEMA))).toHaveLength(1);
    await client.query(OLD_ROWS);
    // This migration runs first on such a database; later ones (e.g. the erasure tables) follow it.
    const ran = (await runMigrationsExclusively(await openDataSource())).map((m) => m.name);
    expect(ran[0]).toBe('ScopeLeadsByAccount1765500000000');
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await client.end();
    await database.drop();
  });

  it('keys every table by the account', async () => {
    const keys = await rows(`
      SELECT c.conrelid::regclass::text AS "table", pg_get_constraintdef(c.oid) AS key FROM pg_constraint c
      WHERE c.contype IN ('p', 'f') AND c.connamespace = 'public'::regnamespace
        AND c.conrelid::regclass::text IN ('leads', 'lead_events', 'crm_deliveries', 'people')
      ORDER BY 1, 2`);
    expect(keys).toEqual([
      { table: 'crm_deliveries', key: 'PRIMARY KEY (account_id, lead_id, destination)' },
      { table: 'lead_events', key: 'PRIMARY KEY (event_source, event_id)' },
      {
        table: 'leads',
        key: 'FOREIGN KEY (account_id, person_key) REFERENCES people(account_id, person_key) ON DELETE SET NULL (person_key)',
      },
      { table: 'leads', key: 'PRIMARY KEY (account_id, lead_id)' },
      { table: 'people', key: 'PRIMARY KEY (account_id, person_key)' },
    ]);
  });

  it('leaves exactly the schema the entities describe', async () => {
    const pending = await (await openDataSource()).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('keeps every lead with its account, and adds the account a delivery or received event named', async () => {
    expect(
      await rows(
        `SELECT account_id, lead_id, person_key, tier, raw IS NOT NULL AS raw FROM leads ORDER BY 2, 1`,
      ),
    ).toEqual([
      { account_id: 'agent', lead_id: 'first', person_key: 'maria@example.com', tier: 'hot', raw: true },
      { account_id: 'agent', lead_id: 'li-agent', person_key: 'li@example.com', tier: 'cold', raw: false },
      {
        account_id: 'brokerage',
        lead_id: 'li-brokerage',
        person_key: 'li@example.com',
        tier: 'warm',
        raw: false,
      },
      { account_id: 'agent', lead_id: 'second', person_key: 'maria@example.com', tier: 'warm', raw: true },
      { account_id: 'agent', lead_id: 'shared', person_key: null, tier: null, raw: false },
      { account_id: 'brokerage', lead_id: 'shared', person_key: null, tier: null, raw: false },
      { account_id: 'brokerage', lead_id: 'stub', person_key: null, tier: null, raw: false },
    ]);
    const [shared] = await rows(
      `SELECT email, lead_timestamp FROM leads WHERE account_id = 'brokerage' AND lead_id = 'shared'`,
    );
    expect(shared).toEqual({ email: 'sam@example.com', lead_timestamp: new Date(T2) });
  });

  it('keeps every delivery, under its own account or else its lead’s', async () => {
    expect(
      await rows(
        `SELECT account_id, lead_id, destination, status, crm_record_id, speed_to_lead_ms FROM crm_deliveries ORDER BY 2, 3`,
      ),
    ).toEqual([
      {
        account_id: 'agent',
        lead_id: 'first',
        destination: 'hubspot',
        status: 'delivered',
        crm_record_id: 'hs-1',
        speed_to_lead_ms: '86400000',
      },
      {
        account_id: 'agent',
        lead_id: 'first',
        destination: 'salesforce',
        status: 'pending',
        crm_record_id: null,
        speed_to_lead_ms: null,
      },
      {
        account_id: 'agent',
        lead_id: 'second',
        destination: 'hubspot',
        status: 'failed',
        crm_record_id: null,
        speed_to_lead_ms: null,
      },
      {
        account_id: 'agent',
        lead_id: 'shared',
        destination: 'hubspot',
        status: 'delivered',
        crm_record_id: 'hs-2',
        speed_to_lead_ms: '86400000',
      },
      {
        account_id: 'brokerage',
        lead_id: 'stub',
        destination: 'salesforce',
        status: 'delivered',
        crm_record_id: '00Q1',
        speed_to_lead_ms: '0',
      },
    ]);
  });

  it('keeps every timeline entry, under the account its event named or else its lead’s', async () => {
    expect(await rows(`SELECT event_id, account_id, lead_id, type FROM lead_events ORDER BY 1`)).toEqual([
      { event_id: 'd-first', account_id: 'agent', lead_id: 'first', type: 'delivered' },
      { event_id: 'd-stub', account_id: 'brokerage', lead_id: 'stub', type: 'delivered' },
      { event_id: 'e-first', account_id: 'agent', lead_id: 'first', type: 'enriched' },
      { event_id: 'r-first', account_id: 'agent', lead_id: 'first', type: 'received' },
      { event_id: 'r-second', account_id: 'agent', lead_id: 'second', type: 'received' },
      { event_id: 'r-shared-agent', account_id: 'agent', lead_id: 'shared', type: 'received' },
      { event_id: 'r-shared-brokerage', account_id: 'brokerage', lead_id: 'shared', type: 'received' },
    ]);
  });

  it('makes a person of one account keep their row, and one of two accounts a row in each', async () => {
    expect(
      await rows(
        `SELECT account_id, person_key, email, phone_e164, full_name, first_seen_at, last_seen_at FROM people ORDER BY 2, 1`,
      ),
    ).toEqual([
      {
        account_id: 'agent',
        person_key: 'li@example.com',
        email: 'li@example.com',
        phone_e164: null,
        full_name: 'Li Chen',
        first_seen_at: new Date(T1),
        last_seen_at: new Date(T1),
      },
      {
        account_id: 'brokerage',
        person_key: 'li@example.com',
        email: 'li@example.com',
        phone_e164: null,
        full_name: 'Li Chen',
        first_seen_at: new Date(T3),
        last_seen_at: new Date(T3),
      },
      {
        account_id: 'agent',
        person_key: 'maria@example.com',
        email: 'maria@example.com',
        phone_e164: '+15125550142',
        full_name: 'Maria Lopez',
        first_seen_at: new Date(T1),
        last_seen_at: new Date(T2),
      },
    ]);
  });

  it('sets only the person key of a lead to null when its person is deleted', async () => {
    await client.query(`DELETE FROM people WHERE account_id = 'brokerage' AND person_key = 'li@example.com'`);
    expect(await rows(`SELECT account_id, person_key FROM leads WHERE lead_id = 'li-brokerage'`)).toEqual([
      { account_id: 'brokerage', person_key: null },
    ]);
  });

  it('refuses to revert while a lead id is held by two accounts, and changes nothing', async () => {
    const dataSource = await openDataSource();
    // Undo the migrations that came after this one first, so that it is the last one to revert.
    const later = dataSource.migrations.filter(
      (migration) => migrationTime(migration) > SCOPE_MIGRATION_TIME,
    );
    for (let undone = 0; undone < later.length; undone++)
      await dataSource.undoLastMigration({ transaction: 'all' });
    await expect(dataSource.undoLastMigration({ transaction: 'all' })).rejects.toThrow(
      /lead ids are held by several accounts/,
    );
    expect(await rows(`SELECT count(*)::int AS n FROM leads`)).toEqual([{ n: 7 }]);
  });
});
