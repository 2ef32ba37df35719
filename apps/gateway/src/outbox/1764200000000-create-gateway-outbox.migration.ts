import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGatewayOutbox1764200000000 implements MigrationInterface {
  name = 'CreateGatewayOutbox1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE gateway_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        value text NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE gateway_outbox');
  }
}
