import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every key that names a lead or a person gains the account: leads, deliveries and the timeline by
 * (account_id, lead_id), people by (account_id, person_key). The same lead sent to two accounts (an agent
 * and their brokerage) is two leads, and one person asking two accounts is two people.
 *
 * Existing rows keep everything they hold. A lead's account is its own, else that of its deliveries or
 * its received events; a delivery or timeline entry keeps the account it names and takes its lead's
 * otherwise; where such an account differs from its lead's (two accounts wrote one row before), a lead
 * row of that account is added so the row stays reachable. A person becomes one row per account with
 * leads of them. A row whose account cannot be told stops the migration, which then changes nothing.
 */
export class ScopeLeadsByAccount1765500000000 implements MigrationInterface {
  name = 'ScopeLeadsByAccount1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE leads DROP CONSTRAINT leads_person_key_fk`);

    // Leads: the account from the lead's deliveries or received events when the row has none.
    await queryRunner.query(`
      UPDATE leads l SET account_id = COALESCE(
        (SELECT min(d.account_id) FROM crm_deliveries d WHERE d.lead_id = l.lead_id),
        (SELECT min(e.details->>'account_id') FROM lead_events e WHERE e.lead_id = l.lead_id AND e.type = 'received'))
      WHERE l.account_id IS NULL`);
    await failIfAny(
      queryRunner,
      `SELECT count(*)::int AS n FROM leads WHERE account_id IS NULL`,
      'leads of no known account',
    );

    // Deliveries and the timeline: their own account, else their lead's.
    await queryRunner.query(`
      UPDATE crm_deliveries d SET account_id = l.account_id
      FROM leads l WHERE l.lead_id = d.lead_id AND d.account_id IS NULL`);
    await failIfAny(
      queryRunner,
      `SELECT count(*)::int AS n FROM crm_deliveries WHERE account_id IS NULL`,
      'deliveries of no known account',
    );
    await queryRunner.query(`ALTER TABLE lead_events ADD COLUMN account_id text`);
    await queryRunner.query(`
      UPDATE lead_events e SET account_id = COALESCE(NULLIF(e.details->>'account_id', ''), l.account_id)
      FROM leads l WHERE l.lead_id = e.lead_id`);
    await queryRunner.query(`
      UPDATE lead_events SET account_id = details->>'account_id'
      WHERE account_id IS NULL AND NULLIF(details->>'account_id', '') IS NOT NULL`);
    await failIfAny(
      queryRunner,
      `SELECT count(*)::int AS n FROM lead_events WHERE account_id IS NULL`,
      'timeline entries of no known account',
    );

    await queryRunner.query(`ALTER TABLE leads ALTER COLUMN account_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE leads DROP CONSTRAINT leads_pkey`);
    await queryRunner.query(`ALTER TABLE leads ADD CONSTRAINT leads_pkey PRIMARY KEY (account_id, lead_id)`);
    // A delivery or received event of another account than its lead's row: that account's lead, as a stub.
    await queryRunner.query(`
      INSERT INTO leads (account_id, lead_id, lead_timestamp)
      SELECT o.account_id, o.lead_id, min(o.lead_timestamp)
      FROM (
        SELECT d.account_id, d.lead_id, d.lead_timestamp FROM crm_deliveries d
        UNION ALL
        SELECT e.account_id, e.lead_id, l.lead_timestamp
        FROM lead_events e JOIN leads l ON l.lead_id = e.lead_id
      ) o
      WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.lead_id = o.lead_id AND l.account_id = o.account_id)
      GROUP BY o.account_id, o.lead_id`);

    await queryRunner.query(`ALTER TABLE crm_deliveries ALTER COLUMN account_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE crm_deliveries DROP CONSTRAINT crm_deliveries_pkey`);
    await queryRunner.query(
      `ALTER TABLE crm_deliveries ADD CONSTRAINT crm_deliveries_pkey PRIMARY KEY (account_id, lead_id, destination)`,
    );
    await queryRunner.query(`ALTER TABLE lead_events ALTER COLUMN account_id SET NOT NULL`);

    // People: one row per account with leads of the person. A person of one account keeps their row as it
    // was; one of several accounts gets, per account, the span of that account's leads. A person row no
    // lead refers to any more (its only lead changed key) holds no inquiry and belongs to no account: it is
    // not carried over.
    await queryRunner.query(`
      CREATE TABLE people_by_account (
        account_id text NOT NULL,
        person_key text NOT NULL,
        email text,
        phone_e164 text,
        full_name text,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO people_by_account (account_id, person_key, email, phone_e164, full_name, first_seen_at,
        last_seen_at, created_at, updated_at)
      SELECT s.account_id, p.person_key, p.email, p.phone_e164, p.full_name,
        CASE WHEN s.accounts = 1 THEN p.first_seen_at ELSE s.first_seen_at END,
        CASE WHEN s.accounts = 1 THEN p.last_seen_at ELSE s.last_seen_at END,
        p.created_at, p.updated_at
      FROM people p
      JOIN (
        SELECT account_id, person_key, min(lead_timestamp) AS first_seen_at, max(lead_timestamp) AS last_seen_at,
          count(*) OVER (PARTITION BY person_key) AS accounts
        FROM leads WHERE person_key IS NOT NULL
        GROUP BY account_id, person_key
      ) s ON s.person_key = p.person_key`);
    await queryRunner.query(`DROP TABLE people`);
    await queryRunner.query(`ALTER TABLE people_by_account RENAME TO people`);
    await queryRunner.query(
      `ALTER TABLE people ADD CONSTRAINT people_pkey PRIMARY KEY (account_id, person_key)`,
    );

    await queryRunner.query(`
      ALTER TABLE leads ADD CONSTRAINT leads_person_key_fk FOREIGN KEY (account_id, person_key)
        REFERENCES people (account_id, person_key) ON DELETE SET NULL (person_key) ON UPDATE NO ACTION`);
    await reindex(queryRunner, [
      ['leads_lead_timestamp_idx', 'leads (lead_timestamp, lead_id, account_id)'],
      ['leads_tier_lead_timestamp_idx', 'leads (tier, lead_timestamp, lead_id, account_id)'],
      ['leads_person_key_idx', 'leads (account_id, person_key)'],
      ['lead_events_lead_idx', 'lead_events (account_id, lead_id, occurred_at)'],
    ]);
  }

  /** Back to keys without the account; refused while one lead id or person key is held by two accounts. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await failIfAny(
      queryRunner,
      `SELECT count(*)::int AS n FROM (SELECT lead_id FROM leads GROUP BY lead_id HAVING count(*) > 1) t`,
      'lead ids are held by several accounts',
    );
    await failIfAny(
      queryRunner,
      `SELECT count(*)::int AS n FROM (SELECT person_key FROM people GROUP BY person_key HAVING count(*) > 1) t`,
      'person keys are held by several accounts',
    );
    await queryRunner.query(`ALTER TABLE leads DROP CONSTRAINT leads_person_key_fk`);
    await queryRunner.query(`ALTER TABLE people DROP CONSTRAINT people_pkey`);
    await queryRunner.query(`ALTER TABLE people DROP COLUMN account_id`);
    await queryRunner.query(`ALTER TABLE people ADD CONSTRAINT people_pkey PRIMARY KEY (person_key)`);
    await queryRunner.query(`ALTER TABLE crm_deliveries DROP CONSTRAINT crm_deliveries_pkey`);
    await queryRunner.query(
      `ALTER TABLE crm_deliveries ADD CONSTRAINT crm_deliveries_pkey PRIMARY KEY (lead_id, destination)`,
    );
    await queryRunner.query(`ALTER TABLE crm_deliveries ALTER COLUMN account_id DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE leads DROP CONSTRAINT leads_pkey`);
    await queryRunner.query(`ALTER TABLE leads ADD CONSTRAINT leads_pkey PRIMARY KEY (lead_id)`);
    await queryRunner.query(`ALTER TABLE leads ALTER COLUMN account_id DROP NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE leads ADD CONSTRAINT leads_person_key_fk FOREIGN KEY (person_key)
        REFERENCES people (person_key) ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE lead_events DROP COLUMN account_id`);
    await reindex(queryRunner, [
      ['leads_lead_timestamp_idx', 'leads (lead_timestamp, lead_id)'],
      ['leads_tier_lead_timestamp_idx', 'leads (tier, lead_timestamp, lead_id)'],
      ['leads_person_key_idx', 'leads (person_key)'],
      ['lead_events_lead_idx', 'lead_events (lead_id, occurred_at)'],
    ]);
  }
}

/** Throws (rolling the migration back) when the query counts any row: `problem` says what they are. */
async function failIfAny(queryRunner: QueryRunner, countSql: string, problem: string): Promise<void> {
  const [row] = (await queryRunner.query(countSql)) as Array<{ n: number }>;
  if (row && row.n > 0) throw new Error(`migration stopped: ${row.n} ${problem}`);
}

async function reindex(queryRunner: QueryRunner, indexes: Array<[name: string, on: string]>): Promise<void> {
  for (const [name, on] of indexes) {
    await queryRunner.query(`DROP INDEX IF EXISTS ${name}`);
    await queryRunner.query(`CREATE INDEX ${name} ON ${on}`);
  }
}
