export * from './expect-eventually';
export * from './kafka';
export * from './postgres';
export * from './lead-factory';
export * from './dedicated-broker';
export * from './crm-sandbox-client';
export * from './connector-test-bed';
export * from './dlq-cli';
