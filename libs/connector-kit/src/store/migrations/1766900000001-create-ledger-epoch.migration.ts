import type { MigrationQueries, PgMigration } from '@lead-delivery/database';

export class CreateLedgerEpoch1766900000001 implements PgMigration {
  name = 'CreateLedgerEpoch1766900000001';

  async up(queries: MigrationQueries): Promise<void> {
    // When the ledger started: a lead older than that may have been written by a version without it.
    await queries.query(`
      CREATE TABLE connector_ledger_epoch (
        single boolean PRIMARY KEY DEFAULT true CHECK (single),
        installed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queries.query('INSERT INTO connector_ledger_epoch DEFAULT VALUES');
  }

  async down(queries: MigrationQueries): Promise<void> {
    await queries.query('DROP TABLE connector_ledger_epoch');
  }
}
