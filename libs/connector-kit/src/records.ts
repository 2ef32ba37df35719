// What code outside the connectors needs to read a consumed record: its replay header and a view of it
// with personal data masked (the dead-letter desk, which persistence's read API serves). The main entry
// loads the whole delivery pipeline (budgets, breakers, the connector store and their dependencies), which
// an app bundle that imports only this entry neither requires nor installs.
export * from './support/replay-header';
export * from './support/scrub-pii';
