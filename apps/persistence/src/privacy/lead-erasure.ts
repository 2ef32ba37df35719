import type { EntityManager } from 'typeorm';

/** A lead by its key. */
export interface LeadKey {
  account_id: string;
  lead_id: string;
}

/** Why the leads are erased, as recorded in each lead's timeline (`erased` event). */
export interface ErasureRecord {
  /** The timeline event source, e.g. `/persistence/erasure`. */
  source: string;
  /** Prefix of the event ids: one `erased` event per lead and cause. */
  eventIdPrefix: string;
  details: Record<string, unknown>;
}

// $1 and $2: the account_id and lead_id of each lead, side by side.
const LEADS = `SELECT * FROM unnest($1::text[], $2::text[]) AS erased(account_id, lead_id)`;
const ERASE_LEADS = `
  UPDATE leads l SET person_key = NULL, first_name = NULL, last_name = NULL, full_name = NULL, email = NULL,
    phone = NULL, phone_e164 = NULL, address = NULL, latitude = NULL, longitude = NULL, message = NULL,
    warnings = NULL, raw = NULL, erased_at = now(), updated_at = now()
  FROM (${LEADS}) erased WHERE (l.account_id, l.lead_id) = (erased.account_id, erased.lead_id)`;
const ERASE_DELIVERY_ERRORS = `
  UPDATE crm_deliveries d SET last_error = NULL
  FROM (${LEADS}) erased
  WHERE (d.account_id, d.lead_id) = (erased.account_id, erased.lead_id) AND d.last_error IS NOT NULL`;
const ERASE_TIMELINE_ERRORS = `
  UPDATE lead_events e SET details = e.details - 'error'
  FROM (${LEADS}) erased
  WHERE (e.account_id, e.lead_id) = (erased.account_id, erased.lead_id) AND e.details ? 'error'`;
const RECORD_ERASURE = `
  INSERT INTO lead_events (event_source, event_id, account_id, lead_id, type, occurred_at, details)
  SELECT $3, $4 || '/' || account_id || '/' || lead_id, account_id, lead_id, 'erased', now(), $5::jsonb
  FROM (${LEADS}) erased
  ON CONFLICT (event_source, event_id) DO NOTHING`;

/**
 * Removes the personal data of these leads (contact, address, coordinates, message, warnings, raw payload,
 * person link, delivery and timeline errors) and records an `erased` event in each lead's timeline. The
 * leads keep their ids, times, score, tier, routing and delivery outcomes, and never take personal data
 * again (ingest skips erased leads). Call it inside a transaction holding LOCK_FOR_ERASURE.
 */
export async function eraseLeads(
  manager: EntityManager,
  leads: readonly LeadKey[],
  record: ErasureRecord,
): Promise<void> {
  if (leads.length === 0) return;
  const keys = [leads.map((lead) => lead.account_id), leads.map((lead) => lead.lead_id)];
  await manager.query(ERASE_LEADS, keys);
  await manager.query(ERASE_DELIVERY_ERRORS, keys);
  await manager.query(ERASE_TIMELINE_ERRORS, keys);
  await manager.query(RECORD_ERASURE, [
    ...keys,
    record.source,
    record.eventIdPrefix,
    JSON.stringify(record.details),
  ]);
}
