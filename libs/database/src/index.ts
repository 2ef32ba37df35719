// Nothing exported here needs TypeORM: the gateway and the connectors use this lib (migrations on
// node-postgres, the error classification) without it; its TypeORM side is `@lead-delivery/database/typeorm`.
export * from './database-error';
export * from './pg-migration';
export * from './migrate-when-reachable';
export * from './run-pg-migrations-exclusively';
