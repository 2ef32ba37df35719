export * from './connector-suite';
export * from './connector-suite-subject';
export * from './sandboxed-connector';
