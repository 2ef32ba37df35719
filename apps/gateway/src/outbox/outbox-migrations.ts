/** A schema change of the outbox, applied once, in timestamp order. */
export interface OutboxMigration {
  timestamp: number;
  /** Recorded in gateway_migrations; the names of the TypeORM migrations this list replaced, so databases they migrated are up to date. */
  name: string;
  up: string;
}

export const OUTBOX_MIGRATIONS: readonly OutboxMigration[] = [
  {
    timestamp: 1764200000000,
    name: 'CreateGatewayOutbox1764200000000',
    up: `
      CREATE TABLE gateway_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        value text NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
  },
  {
    timestamp: 1765600000000,
    name: 'CreateGatewayDeadOutbox1765600000000',
    // An outbox row Kafka refused for good (too large, invalid), set aside so that the rows behind it are
    // relayed; `npm run dlq -- outbox ...` lists and replays it. id is the row's id in gateway_outbox: a row
    // is dead-lettered once, and replayed at most once (replayed_as is the new outbox row).
    up: `
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
  },
];
