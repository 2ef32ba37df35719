import { createTestDatabase, type TestDatabase } from '@lead-delivery/testing';
import { Client } from 'pg';
import { migrateOutbox } from '../src/outbox/migrate-outbox';
import { sqlMigration } from '../src/outbox/outbox-migrations';

const ALL = ['CreateGatewayOutbox1764200000000', 'CreateGatewayDeadOutbox1765600000000'];

describe('outbox migrations on node-postgres (real PostgreSQL)', () => {
  let database: TestDatabase;
  const clients: Client[] = [];

  const connect = async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    database = await createTestDatabase('gateway_migrations_test');
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await database.drop();
  });

  it('creates both tables once, records them where TypeORM did, and finds nothing pending the second time', async () => {
    const client = await connect();
    expect(await migrateOutbox(client)).toEqual(ALL);
    expect(await migrateOutbox(client)).toEqual([]);

    const { rows: history } = await client.query(
      'SELECT "timestamp", name FROM gateway_migrations ORDER BY id',
    );
    expect(history).toEqual([
      { timestamp: '1764200000000', name: ALL[0] },
      { timestamp: '1765600000000', name: ALL[1] },
    ]);
    const columnsOf = async (table: string) =>
      (
        await client.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
          [table],
        )
      ).rows.map((column) => column.column_name);
    expect(await columnsOf('gateway_outbox')).toEqual([
      'id',
      'topic',
      'message_key',
      'value',
      'headers',
      'created_at',
    ]);
    expect(await columnsOf('gateway_dead_outbox')).toEqual([
      'id',
      'topic',
      'message_key',
      'value',
      'headers',
      'created_at',
      'dead_at',
      'reason',
      'replayed_at',
      'replayed_as',
    ]);
  });

  it('lets replicas that start together migrate once between them', async () => {
    const [first, second] = await Promise.all([connect(), connect()]);
    const applied = await Promise.all([migrateOutbox(first), migrateOutbox(second)]);
    expect(applied.flat().sort()).toEqual([...ALL].sort());
  });

  it('applies only what is pending, and nothing of a migration that fails', async () => {
    const client = await connect();
    await migrateOutbox(client);
    const broken = sqlMigration('Broken1900000000000', 'CREATE TABLE gateway_outbox ()');
    const added = sqlMigration('Added1800000000000', 'CREATE TABLE gateway_extra ()');

    await expect(migrateOutbox(client, [broken, added])).rejects.toThrow(/already exists/);
    expect((await client.query("SELECT to_regclass('gateway_extra') AS extra")).rows[0].extra).toBeNull();
    expect(await migrateOutbox(client, [added])).toEqual(['Added1800000000000']);
  });
});
