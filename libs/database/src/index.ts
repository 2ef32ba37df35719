export * from './database-error';
export * from './run-migrations';
export * from './initialize-when-reachable';
