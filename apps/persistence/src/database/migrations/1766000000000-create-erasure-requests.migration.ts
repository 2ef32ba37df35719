import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure requests and their places (`postgres`, `outbox`, `crm:<destination>`): the durable record that
 * a worker drives to completion, across restarts and replicas. A request keeps its identity as keyed
 * hashes; the clear email and phone stay only until the places that search by them are done.
 */
export class CreateErasureRequests1766000000000 implements MigrationInterface {
  name = 'CreateErasureRequests1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE erasure_requests (
        id uuid PRIMARY KEY,
        email_hash text,
        phone_hash text,
        account_id text,
        requested_by text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        requested_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        email text,
        phone_e164 text,
        phone_digits text[],
        identity_blanked_at timestamptz,
        CHECK (email_hash IS NOT NULL OR phone_hash IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX erasure_requests_identity_idx ON erasure_requests (email_hash, phone_hash, requested_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE erasure_places (
        erasure_id uuid NOT NULL REFERENCES erasure_requests (id) ON DELETE CASCADE,
        place text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'done')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (erasure_id, place)
      )`);
    await queryRunner.query(
      `CREATE INDEX erasure_places_due_idx ON erasure_places (next_attempt_at) WHERE state = 'pending'`,
    );
    // The gateway outbox holds values as text, most of them JSON; a value that is not JSON reads as NULL.
    await queryRunner.query(`
      CREATE FUNCTION persistence_jsonb_or_null(value text) RETURNS jsonb
      LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        RETURN value::jsonb;
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION persistence_jsonb_or_null(text)');
    await queryRunner.query('DROP TABLE erasure_places');
    await queryRunner.query('DROP TABLE erasure_requests');
  }
}
