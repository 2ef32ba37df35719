import { Client, type ClientConfig } from 'pg';
import type { PgMigration } from './pg-migration';
import { runPgMigrationsExclusively } from './run-pg-migrations-exclusively';
import { whenReachable, type ReachabilityLogger } from './when-reachable';

export interface MigrateWhenReachableOptions {
  /** Where to connect (one connection, closed at the end). */
  connection: ClientConfig;
  migrations: readonly PgMigration[];
  /** The history table, TypeORM's `migrationsTableName`. */
  historyTable: string;
  logger: ReachabilityLogger;
}

/**
 * Migrates a schema with node-postgres alone, for apps that do not load TypeORM: connects, waiting with
 * backoff while PostgreSQL is unreachable, then runs the pending migrations under the migrations' lock
 * (runPgMigrationsExclusively). Returns the names of the migrations run.
 */
export async function migrateWhenReachable({
  connection,
  migrations,
  historyTable,
  logger,
}: MigrateWhenReachableOptions): Promise<string[]> {
  const client = await whenReachable(() => connected(connection), { logger });
  try {
    return await runPgMigrationsExclusively(client, migrations, historyTable);
  } finally {
    await client.end();
  }
}

async function connected(config: ClientConfig): Promise<Client> {
  const client = new Client(config);
  // A connection that breaks fails the running statement; without a listener its 'error' event would
  // also crash the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
