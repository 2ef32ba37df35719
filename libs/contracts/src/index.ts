// The workspace's `@lead-delivery/contracts` (tsconfig paths): every entry point at once. The published
// package keeps them apart (package.json `exports`: `.`, `./validation`, `./signature`) so that a consumer
// of the events needs none of the validation and signature dependencies.
export * from './core';
export * from './validation';
export * from './signature';
