// Nothing exported here loads TypeORM: the connectors use this lib (migrateWhenReachable, the error
// classification) without it; runMigrationsExclusively imports it when called, with a DataSource.
export * from './database-error';
export * from './run-migrations';
export * from './initialize-when-reachable';
export * from './pg-migration';
export * from './migrate-when-reachable';
export * from './run-pg-migrations-exclusively';
