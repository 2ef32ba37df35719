/** What a migration may do with the database: run statements, as TypeORM's QueryRunner.query does. */
export interface MigrationQueries {
  query(sql: string, parameters?: unknown[]): Promise<unknown[]>;
}

/**
 * A schema migration the pg-only runner applies (migrateWhenReachable). Named like a TypeORM migration, a
 * JavaScript timestamp at the end (`CreateDeliveryLedger1766900000000`): `name`, or else the class name,
 * is what the history table records, so TypeORM's runner and this one recognise each other's rows.
 */
export interface PgMigration {
  readonly name?: string;
  up(queries: MigrationQueries): Promise<void>;
}
