import { createTestDatabase, type TestDatabase } from '@lead-delivery/testing';
import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrateWhenReachable, type MigrationQueries } from '../src';
import { runMigrationsExclusively } from '../src/typeorm';

// The pg-only runner (connectors) and TypeORM's (gateway, persistence, and the connectors before it) share
// the history table's format and the advisory lock: a database either one migrated is continued by the other.

const HISTORY = 'widget_migrations';

class CreateWidgets1700000000001 implements MigrationInterface {
  async up(queries: MigrationQueries | QueryRunner): Promise<void> {
    await queries.query('CREATE TABLE widgets (id int PRIMARY KEY, color text)');
    await queries.query('INSERT INTO widgets VALUES (1, $1)', ['red']);
  }
  async down(queries: MigrationQueries | QueryRunner): Promise<void> {
    await queries.query('DROP TABLE widgets');
  }
}

class AddWidgetSize1700000000002 implements MigrationInterface {
  async up(queries: MigrationQueries | QueryRunner): Promise<void> {
    await queries.query('ALTER TABLE widgets ADD COLUMN size int');
  }
  async down(queries: MigrationQueries | QueryRunner): Promise<void> {
    await queries.query('ALTER TABLE widgets DROP COLUMN size');
  }
}

class BreakWidgets1700000000003 implements MigrationInterface {
  async up(queries: MigrationQueries | QueryRunner): Promise<void> {
    await queries.query('CREATE TABLE gadgets (id int)');
    await queries.query('SELECT * FROM no_such_table');
  }
  async down(queries: MigrationQueries | QueryRunner): Promise<void> {
    await queries.query('DROP TABLE gadgets');
  }
}

const logger = { warn: jest.fn() };

const migrateWithPg = (
  url: string,
  migrations = [new CreateWidgets1700000000001(), new AddWidgetSize1700000000002()],
) =>
  migrateWhenReachable({ connection: { connectionString: url }, migrations, historyTable: HISTORY, logger });

async function migrateWithTypeorm(
  url: string,
  migrations: (new () => MigrationInterface)[],
): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: HISTORY,
    logging: false,
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    return (await runMigrationsExclusively(dataSource)).map(({ name }) => name);
  } finally {
    await dataSource.destroy();
  }
}

async function inspect(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const history = await client.query(`SELECT id, "timestamp", name FROM ${HISTORY} ORDER BY id`);
    const columns = await client.query(
      `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_name = $1 ORDER BY ordinal_position`,
      [HISTORY],
    );
    const constraints = await client.query(
      `SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass`,
      [HISTORY],
    );
    const widgets = await client.query('SELECT * FROM widgets ORDER BY id');
    return {
      history: history.rows,
      columns: columns.rows,
      constraints: constraints.rows,
      widgets: widgets.rows,
    };
  } finally {
    await client.end();
  }
}

describe('pg-only migrations (migrateWhenReachable)', () => {
  const databases: TestDatabase[] = [];
  const freshDatabase = async () => {
    const database = await createTestDatabase('ld_pg_migrations');
    databases.push(database);
    return database.url;
  };

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('migrates a fresh database into the same schema and history as TypeORM', async () => {
    const byPg = await freshDatabase();
    const byTypeorm = await freshDatabase();

    expect(await migrateWithPg(byPg)).toEqual(['CreateWidgets1700000000001', 'AddWidgetSize1700000000002']);
    await migrateWithTypeorm(byTypeorm, [CreateWidgets1700000000001, AddWidgetSize1700000000002]);

    const migrated = await inspect(byPg);
    expect(migrated).toEqual(await inspect(byTypeorm));
    expect(migrated.history).toEqual([
      { id: 1, timestamp: '1700000000001', name: 'CreateWidgets1700000000001' },
      { id: 2, timestamp: '1700000000002', name: 'AddWidgetSize1700000000002' },
    ]);
    expect(migrated.widgets).toEqual([{ id: 1, color: 'red', size: null }]);
  });

  it('recognises a database TypeORM migrated: runs only what is new', async () => {
    const url = await freshDatabase();
    await migrateWithTypeorm(url, [CreateWidgets1700000000001]);

    expect(await migrateWithPg(url)).toEqual(['AddWidgetSize1700000000002']);
    expect(await migrateWithPg(url)).toEqual([]);
    expect((await inspect(url)).history.map(({ name }) => name)).toEqual([
      'CreateWidgets1700000000001',
      'AddWidgetSize1700000000002',
    ]);
  });

  it('leaves a database TypeORM recognises as migrated', async () => {
    const url = await freshDatabase();
    await migrateWithPg(url, [new CreateWidgets1700000000001()]);

    expect(await migrateWithTypeorm(url, [CreateWidgets1700000000001, AddWidgetSize1700000000002])).toEqual([
      'AddWidgetSize1700000000002',
    ]);
    expect(await migrateWithTypeorm(url, [CreateWidgets1700000000001, AddWidgetSize1700000000002])).toEqual(
      [],
    );
  });

  it('migrates once when several runners start together', async () => {
    const url = await freshDatabase();

    const runs = await Promise.all([1, 2, 3, 4].map(() => migrateWithPg(url)));

    expect(runs.flat()).toEqual(['CreateWidgets1700000000001', 'AddWidgetSize1700000000002']);
    expect((await inspect(url)).history).toHaveLength(2);
  });

  it('runs the pending migrations in one transaction: a failure leaves none of them', async () => {
    const url = await freshDatabase();
    await migrateWithPg(url, [new CreateWidgets1700000000001()]);

    await expect(
      migrateWithPg(url, [
        new CreateWidgets1700000000001(),
        new AddWidgetSize1700000000002(),
        new BreakWidgets1700000000003(),
      ]),
    ).rejects.toMatchObject({ code: '42P01' });

    const after = await inspect(url);
    expect(after.history.map(({ name }) => name)).toEqual(['CreateWidgets1700000000001']);
    expect(after.widgets).toEqual([{ id: 1, color: 'red' }]);
    expect(await migrateWithPg(url)).toEqual(['AddWidgetSize1700000000002']);
  });
});
