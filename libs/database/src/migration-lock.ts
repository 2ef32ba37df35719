// Any constant shared by every replica and both runners (TypeORM's and the pg-only one): only one of them
// migrates a database at a time.
export const MIGRATION_LOCK_KEY = 4_180_517_300;
