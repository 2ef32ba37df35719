export * from './expect-eventually';
export * from './kafka';
export * from './postgres';
export * from './lead-factory';
