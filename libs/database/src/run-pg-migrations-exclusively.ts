import type { ClientBase } from 'pg';
import { MIGRATION_LOCK_KEY } from './migration-lock';
import { pendingPgMigrations } from './pending-pg-migrations';
import type { MigrationQueries, PgMigration } from './pg-migration';
import { PgMigrationHistory } from './pg-migration-history';

/**
 * Runs the pending migrations in one transaction on `client`, holding the advisory lock TypeORM's runner
 * (runMigrationsExclusively) holds too, so that replicas starting together do not race; the ones that wait
 * then find nothing pending. The same statements as TypeORM's MigrationExecutor with `transaction: 'all'`,
 * so either runner continues what the other began. Returns the names of the migrations run.
 */
export async function runPgMigrationsExclusively(
  client: ClientBase,
  migrations: readonly PgMigration[],
  historyTable: string,
): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    const history = new PgMigrationHistory(client, historyTable);
    await history.createIfMissing();
    const pending = pendingPgMigrations(migrations, await history.executedNames());
    if (pending.length === 0) return [];
    const queries: MigrationQueries = {
      query: async (sql, parameters) => (await client.query(sql, parameters)).rows,
    };
    await client.query('START TRANSACTION');
    try {
      for (const named of pending) {
        await named.migration.up(queries);
        await history.record(named);
      }
      await client.query('COMMIT');
    } catch (error) {
      // The migration's failure is what matters, even when the rollback fails too.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return pending.map(({ name }) => name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}
