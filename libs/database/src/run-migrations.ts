import { MigrationExecutor, type DataSource, type Migration } from 'typeorm';
import { MIGRATION_LOCK_KEY } from './migration-lock';

/**
 * Runs the pending migrations in one transaction, holding a PostgreSQL advisory lock so that replicas
 * starting together do not race; the ones that wait then find nothing pending.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<Migration[]> {
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'all';
      return await executor.executePendingMigrations();
    } finally {
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await queryRunner.release();
  }
}
