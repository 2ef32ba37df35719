import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../src/postgres';

describe('PostgreSQL test fixtures', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('gives each suite its own real database that survives a write-read round trip', async () => {
    await client.query('CREATE TABLE probe (id text PRIMARY KEY, body jsonb NOT NULL)');
    await client.query('INSERT INTO probe VALUES ($1, $2)', ['lead-1', { city: 'Austin', note: 'ü 家' }]);
    const { rows } = await client.query('SELECT id, body FROM probe');
    expect(rows).toEqual([{ id: 'lead-1', body: { city: 'Austin', note: 'ü 家' } }]);
    const { rows: current } = await client.query<{ name: string }>('SELECT current_database() AS name');
    expect(current[0]?.name).toBe(database.name);
  });

  it('drops the database when asked', async () => {
    const other = await createTestDatabase();
    await other.drop();
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [other.name]);
    expect(rows).toHaveLength(0);
  });

  it('exposes the run-wide database to tests as DATABASE_URL', async () => {
    const runWide = new Client({ connectionString: process.env['DATABASE_URL'] });
    await runWide.connect();
    const { rows } = await runWide.query<{ name: string }>('SELECT current_database() AS name');
    await runWide.end();
    expect(rows[0]?.name).toBe(process.env['LD_TEST_DATABASE_NAME']);
  });
});
