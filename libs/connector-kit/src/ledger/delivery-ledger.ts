import type { Pool } from 'pg';

/** What the ledger knew of a lead when a call for it began. */
export type LedgerEntry = { state: 'new' } | { state: 'intent' } | { state: 'written'; crmRecordId: string };

/**
 * What this connector wrote to its CRM, per (destination, account, lead): `intent` before a call that may
 * write the lead, `written` once the CRM confirmed it. Ids only: no personal data.
 */
export class DeliveryLedger {
  private trusted: Promise<number> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly destination: string,
    private readonly rolloutMarginMs = 0,
  ) {}

  /**
   * Leads stamped before this time (epoch ms) may have been written by a version without the ledger, so
   * the ledger's "new" cannot vouch for them: when the ledger started, plus the rollout margin.
   */
  trustedSince(): Promise<number> {
    this.trusted ??= this.pool
      .query<{ installed_at: Date }>('SELECT installed_at FROM connector_ledger_epoch')
      .then(
        ({ rows }) => (rows[0]?.installed_at.getTime() ?? Number.POSITIVE_INFINITY) + this.rolloutMarginMs,
      )
      .catch((error: unknown) => {
        this.trusted = undefined;
        throw error;
      });
    return this.trusted;
  }

  /**
   * Records an intent for each lead the ledger has no row of, and tells what it knew of every lead before,
   * in one statement. A lead whose row another replica inserted meanwhile counts as `intent` (unknown).
   */
  async begin(accountId: string, leadIds: string[]): Promise<Map<string, LedgerEntry>> {
    const { rows } = await this.pool.query<{ lead_id: string; state: string; crm_record_id: string | null }>(
      `WITH inserted AS (
         INSERT INTO connector_delivery_ledger (destination, account_id, lead_id, state)
         SELECT $1, $2, lead_id, 'intent' FROM unnest($3::text[]) AS wanted(lead_id)
         ON CONFLICT DO NOTHING
         RETURNING lead_id
       )
       SELECT lead_id, state, crm_record_id FROM connector_delivery_ledger
        WHERE destination = $1 AND account_id = $2 AND lead_id = ANY($3::text[])
       UNION ALL
       SELECT lead_id, 'new', NULL FROM inserted`,
      [this.destination, accountId, leadIds],
    );
    // The first SELECT sees the table as it was before the statement: new rows come only from `inserted`.
    const known = new Map<string, LedgerEntry>();
    for (const { lead_id, state, crm_record_id } of rows) {
      known.set(
        lead_id,
        state === 'written' && crm_record_id !== null
          ? { state: 'written', crmRecordId: crm_record_id }
          : state === 'new'
            ? { state: 'new' }
            : { state: 'intent' },
      );
    }
    for (const leadId of leadIds) if (!known.has(leadId)) known.set(leadId, { state: 'intent' });
    return known;
  }

  /** The CRM confirmed these leads. */
  async written(accountId: string, leads: { leadId: string; crmRecordId: string }[]): Promise<void> {
    if (leads.length === 0) return;
    await this.pool.query(
      `INSERT INTO connector_delivery_ledger (destination, account_id, lead_id, state, crm_record_id)
       SELECT $1, $2, lead_id, 'written', crm_record_id
         FROM unnest($3::text[], $4::text[]) AS done(lead_id, crm_record_id)
       ON CONFLICT (destination, account_id, lead_id)
       DO UPDATE SET state = 'written', crm_record_id = EXCLUDED.crm_record_id, updated_at = now()`,
      [this.destination, accountId, leads.map((lead) => lead.leadId), leads.map((lead) => lead.crmRecordId)],
    );
  }

  /** Nothing of these leads reached the CRM: a retry may write them without looking first. */
  async clearIntents(accountId: string, leadIds: string[]): Promise<void> {
    if (leadIds.length === 0) return;
    await this.pool.query(
      `DELETE FROM connector_delivery_ledger
        WHERE destination = $1 AND account_id = $2 AND lead_id = ANY($3::text[]) AND state = 'intent'`,
      [this.destination, accountId, leadIds],
    );
  }

  /** Deletes up to `limit` rows of this destination not touched for `retentionMs`; returns how many. */
  async purge(retentionMs: number, limit = 10_000): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM connector_delivery_ledger WHERE ctid IN (
         SELECT ctid FROM connector_delivery_ledger
          WHERE destination = $1 AND updated_at < now() - make_interval(secs => $2::double precision / 1000)
          LIMIT $3)`,
      [this.destination, retentionMs, limit],
    );
    return rowCount ?? 0;
  }
}
