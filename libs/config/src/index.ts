export * from './env-var.decorator';
export * from './env-transforms';
export * from './load-config';
export * from './describe-config';
export * from './database.config';
