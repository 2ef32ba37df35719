// TypeORM's side of the lib, for the apps that use TypeORM (persistence): its migrations under the same lock
// as migrateWhenReachable, and a DataSource initialised once PostgreSQL is reachable.
export * from './run-migrations';
export * from './initialize-when-reachable';
