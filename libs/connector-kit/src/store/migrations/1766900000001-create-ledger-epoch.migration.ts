import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLedgerEpoch1766900000001 implements MigrationInterface {
  name = 'CreateLedgerEpoch1766900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // When the ledger started: a lead older than that may have been written by a version without it.
    await queryRunner.query(`
      CREATE TABLE connector_ledger_epoch (
        single boolean PRIMARY KEY DEFAULT true CHECK (single),
        installed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('INSERT INTO connector_ledger_epoch DEFAULT VALUES');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE connector_ledger_epoch');
  }
}
