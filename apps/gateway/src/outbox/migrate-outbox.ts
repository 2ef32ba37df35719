import { runPgMigrationsExclusively, type PgMigration } from '@lead-delivery/database';
import type { ClientBase } from 'pg';
import { OUTBOX_MIGRATIONS } from './outbox-migrations';

/**
 * Applies the pending outbox migrations in one transaction, one replica at a time, in the history table
 * TypeORM kept (`gateway_migrations`, same columns), so a database migrated before keeps its history.
 * Returns the names of the migrations applied.
 */
export function migrateOutbox(
  client: ClientBase,
  migrations: readonly PgMigration[] = OUTBOX_MIGRATIONS,
): Promise<string[]> {
  return runPgMigrationsExclusively(client, migrations, 'gateway_migrations');
}
