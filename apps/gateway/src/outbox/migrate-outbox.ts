import type { ClientBase } from 'pg';
import { OUTBOX_MIGRATIONS, type OutboxMigration } from './outbox-migrations';

// The key libs/database's runMigrationsExclusively takes: one migration at a time across all replicas.
const MIGRATION_LOCK_KEY = 4_180_517_300;

/**
 * Applies the pending outbox migrations in one transaction, holding a PostgreSQL advisory lock so that
 * replicas starting together do not race. The bookkeeping table is the one TypeORM kept (same name and
 * columns), so a database migrated before keeps its history. Returns the migrations applied.
 */
export async function migrateOutbox(
  client: ClientBase,
  migrations: readonly OutboxMigration[] = OUTBOX_MIGRATIONS,
): Promise<OutboxMigration[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query('BEGIN');
    try {
      // Exactly as TypeORM created it, down to the name of its primary key.
      await client.query(`CREATE TABLE IF NOT EXISTS gateway_migrations (
        id SERIAL NOT NULL, "timestamp" bigint NOT NULL, name character varying NOT NULL,
        CONSTRAINT "PK_54520ca4002aad0d8fac00f6df6" PRIMARY KEY (id))`);
      const { rows } = await client.query<{ name: string }>('SELECT name FROM gateway_migrations');
      const applied = new Set(rows.map((row) => row.name));
      const pending = [...migrations]
        .sort((a, b) => a.timestamp - b.timestamp)
        .filter((migration) => !applied.has(migration.name));
      for (const migration of pending) {
        await client.query(migration.up);
        await client.query('INSERT INTO gateway_migrations ("timestamp", name) VALUES ($1, $2)', [
          migration.timestamp,
          migration.name,
        ]);
      }
      await client.query('COMMIT');
      return pending;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}
