export * from './connector-suite';
export * from './connector-suite-subject';
export * from './sandboxed-connector';
export * from './suite-endpoint';
export * from './suite-rejection';
