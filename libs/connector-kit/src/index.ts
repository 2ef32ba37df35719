export * from './connector/crm-connector';
export * from './connector/connector.error';
export * from './config/connector-kit.config';
export * from './runtime/connector-runtime';
export * from './runtime/connector-runtime.module';
export * from './runtime/run-connector';
export * from './support/replay-header';
export * from './support/scrub-pii';
