import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tier and person-key indexes hold only enriched leads. A lead is stored on its received event with
 * neither, and its enriched event changes both, so PostgreSQL wrote each lead into both indexes twice: a
 * NULL entry on insert, then the real one on the (non-HOT) update. Every read by tier or person key names
 * a value, which implies IS NOT NULL, so the partial indexes serve the same queries. The builds block writes
 * to `leads` while they run (in the migration's transaction, so not CONCURRENTLY): ingest batches wait, and one
 * that times out is retried as an infrastructure failure.
 */
export class IndexEnrichedLeadsOnly1767100000000 implements MigrationInterface {
  name = 'IndexEnrichedLeadsOnly1767100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await replaceIndexes(queryRunner, 'WHERE tier IS NOT NULL', 'WHERE person_key IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await replaceIndexes(queryRunner, '', '');
  }
}

async function replaceIndexes(queryRunner: QueryRunner, tierWhere: string, personWhere: string) {
  await queryRunner.query(`DROP INDEX leads_tier_lead_timestamp_idx`);
  await queryRunner.query(
    `CREATE INDEX leads_tier_lead_timestamp_idx ON leads (tier, lead_timestamp, lead_id, account_id) ${tierWhere}`,
  );
  await queryRunner.query(`DROP INDEX leads_person_key_idx`);
  await queryRunner.query(
    `CREATE INDEX leads_person_key_idx ON leads (account_id, person_key) ${personWhere}`,
  );
}
