import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGatewayDeadOutbox1765600000000 implements MigrationInterface {
  name = 'CreateGatewayDeadOutbox1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // id is the row's id in gateway_outbox: a row is dead-lettered once, and replayed at most once.
    await queryRunner.query(`
      CREATE TABLE gateway_dead_outbox (
        id bigint PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        value text NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        dead_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        replayed_at timestamptz,
        replayed_as bigint
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE gateway_dead_outbox');
  }
}
