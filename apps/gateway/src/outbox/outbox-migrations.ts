import type { PgMigration } from '@lead-delivery/database';

/**
 * A schema change of the outbox, applied once, in the order of the timestamp its name ends with. The names
 * are those of the TypeORM migrations this list replaced, so databases they migrated are up to date.
 */
export const sqlMigration = (name: string, sql: string): PgMigration => ({
  name,
  up: async (queries) => {
    await queries.query(sql);
  },
});

export const OUTBOX_MIGRATIONS: readonly PgMigration[] = [
  sqlMigration(
    'CreateGatewayOutbox1764200000000',
    `
      CREATE TABLE gateway_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        value text NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  ),
  // An outbox row Kafka refused for good (too large, invalid), set aside so that the rows behind it are
  // relayed; `npm run dlq -- outbox ...` lists and replays it. id is the row's id in gateway_outbox: a row
  // is dead-lettered once, and replayed at most once (replayed_as is the new outbox row).
  sqlMigration(
    'CreateGatewayDeadOutbox1765600000000',
    `
      CREATE TABLE gateway_dead_outbox (
        id bigint PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        value text NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        dead_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        replayed_at timestamptz,
        replayed_as bigint
      )`,
  ),
];
