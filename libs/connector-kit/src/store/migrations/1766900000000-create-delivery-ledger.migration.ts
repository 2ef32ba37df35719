import type { MigrationQueries, PgMigration } from '@lead-delivery/database';

export class CreateDeliveryLedger1766900000000 implements PgMigration {
  name = 'CreateDeliveryLedger1766900000000';

  async up(queries: MigrationQueries): Promise<void> {
    // Ids and states only: no personal data, so erasure never has to visit this table.
    await queries.query(`
      CREATE TABLE connector_delivery_ledger (
        destination text NOT NULL,
        account_id text NOT NULL,
        lead_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('intent', 'written')),
        crm_record_id text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (destination, account_id, lead_id)
      )`);
    await queries.query(
      'CREATE INDEX connector_delivery_ledger_updated_at ON connector_delivery_ledger (updated_at)',
    );
  }

  async down(queries: MigrationQueries): Promise<void> {
    await queries.query('DROP TABLE connector_delivery_ledger');
  }
}
