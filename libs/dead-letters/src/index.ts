export * from './dead-letter';
export * from './dead-letter-desk';
export * from './dlq-store';
export * from './pii-view';
export * from './replay-progress';
