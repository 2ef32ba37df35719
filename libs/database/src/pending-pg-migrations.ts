import type { PgMigration } from './pg-migration';

export interface NamedPgMigration {
  name: string;
  /** The JavaScript timestamp that ends the name: the order migrations run in. */
  timestamp: number;
  migration: PgMigration;
}

/**
 * The migrations whose names the history does not hold, oldest first; as TypeORM's MigrationExecutor, it
 * refuses a name without a 13-digit timestamp at its end and a name given twice.
 */
export function pendingPgMigrations(
  migrations: readonly PgMigration[],
  executedNames: ReadonlySet<string>,
): NamedPgMigration[] {
  const named = migrations.map(withName);
  const duplicates = named.filter(
    (one, index) => named.findIndex((other) => other.name === one.name) < index,
  );
  if (duplicates.length > 0) {
    throw new Error(`Duplicate migrations: ${[...new Set(duplicates.map(({ name }) => name))].join(', ')}`);
  }
  return named.filter(({ name }) => !executedNames.has(name)).sort((a, b) => a.timestamp - b.timestamp);
}

function withName(migration: PgMigration): NamedPgMigration {
  const name = migration.name ?? migration.constructor.name;
  const timestamp = parseInt(name.slice(-13), 10);
  if (!timestamp) {
    throw new Error(
      `${name} migration name is wrong. Migration class name should have a JavaScript timestamp appended.`,
    );
  }
  return { name, timestamp, migration };
}
