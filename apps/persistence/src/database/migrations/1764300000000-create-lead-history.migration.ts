import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Leads, their timeline, their CRM deliveries and the people they belong to. */
export class CreateLeadHistory1764300000000 implements MigrationInterface {
  name = 'CreateLeadHistory1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE people (
        person_key text NOT NULL,
        email text,
        phone_e164 text,
        full_name text,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT people_pkey PRIMARY KEY (person_key)
      )`);

    // raw, the largest column, is compressed with lz4: several times faster than the default pglz.
    await queryRunner.query(`
      CREATE TABLE leads (
        lead_id text NOT NULL,
        account_id text,
        kind text,
        role text,
        source text,
        person_key text,
        first_name text,
        last_name text,
        full_name text,
        email text,
        phone text,
        phone_e164 text,
        address text,
        city text,
        state text,
        zip_code text,
        list_price double precision,
        beds double precision,
        baths double precision,
        sqft double precision,
        latitude double precision,
        longitude double precision,
        listing_url text,
        mls_id text,
        mls_name text,
        listing_status text,
        active_days_on_market double precision,
        listing_agent jsonb,
        pre_approved boolean,
        budget_min double precision,
        budget_max double precision,
        is_likely_to_transact boolean,
        probability_to_transact double precision,
        message text,
        score double precision,
        tier text,
        score_reasons jsonb,
        model_version text,
        destinations text[],
        warnings jsonb,
        raw jsonb COMPRESSION lz4,
        lead_timestamp timestamptz NOT NULL,
        lead_event_at timestamptz,
        received_at timestamptz,
        enriched_at timestamptz,
        raw_purged_at timestamptz,
        erased_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT leads_pkey PRIMARY KEY (lead_id),
        CONSTRAINT leads_person_key_fk FOREIGN KEY (person_key)
          REFERENCES people (person_key) ON DELETE SET NULL ON UPDATE NO ACTION
      )`);
    // Keyset pagination walks (lead_timestamp, lead_id) backwards; each filter gets its own prefix.
    await queryRunner.query(`CREATE INDEX leads_lead_timestamp_idx ON leads (lead_timestamp, lead_id)`);
    await queryRunner.query(
      `CREATE INDEX leads_account_lead_timestamp_idx ON leads (account_id, lead_timestamp, lead_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX leads_tier_lead_timestamp_idx ON leads (tier, lead_timestamp, lead_id)`,
    );
    await queryRunner.query(`CREATE INDEX leads_person_key_idx ON leads (person_key)`);
    // Erasure requests by email; those by phone scan (a raw phone can be written in any format).
    await queryRunner.query(`CREATE INDEX leads_email_idx ON leads (email)`);
    await queryRunner.query(
      `CREATE INDEX leads_retention_idx ON leads (lead_timestamp) WHERE raw_purged_at IS NULL`,
    );

    // lead_events and crm_deliveries have no foreign key to leads: every row is written in the transaction
    // that upserts its lead (a stub at least), and leads are never deleted (erasure keeps the row). A
    // key would cost a lookup and a row lock on leads for each event written.
    await queryRunner.query(`
      CREATE TABLE lead_events (
        event_source text NOT NULL,
        event_id text NOT NULL,
        lead_id text NOT NULL,
        type text NOT NULL,
        destination text,
        occurred_at timestamptz NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lead_events_pkey PRIMARY KEY (event_source, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX lead_events_lead_idx ON lead_events (lead_id, occurred_at)`);

    await queryRunner.query(`
      CREATE TABLE crm_deliveries (
        lead_id text NOT NULL,
        destination text NOT NULL,
        account_id text,
        status text NOT NULL,
        crm_record_id text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        lead_timestamp timestamptz NOT NULL,
        delivered_at timestamptz,
        speed_to_lead_ms bigint,
        last_event_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT crm_deliveries_pkey PRIMARY KEY (lead_id, destination)
      ) WITH (fillfactor = 80)`);
    // Only the stats window is indexed: the read API's status and destination filters probe the primary
    // key per lead, and with no index on status an outcome updates its pending row in place (a HOT update,
    // in the room fillfactor leaves).
    await queryRunner.query(
      `CREATE INDEX crm_deliveries_lead_timestamp_idx ON crm_deliveries (lead_timestamp)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE crm_deliveries`);
    await queryRunner.query(`DROP TABLE lead_events`);
    await queryRunner.query(`DROP TABLE leads`);
    await queryRunner.query(`DROP TABLE people`);
  }
}
