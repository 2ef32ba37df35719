import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LOCK_FOR_ERASURE } from '../../ingest/lead-history.sql';
import { PersistenceMetrics } from '../../persistence.metrics';

/** Who to erase, normalised as persistence stores it. */
export interface ErasureTarget {
  /** Lower-case email. */
  email: string | null;
  phoneE164: string | null;
  /** The phone's digits as a lead may have sent them: national number, and with the country code. */
  phoneDigits: string[];
}

export const ERASURE_EVENT_SOURCE = '/persistence/erasure';

// The person's leads: those matching the email (indexed) or the phone (a scan, as a lead's phone can be
// written in any format), and every lead of the same people (indexed).
const FIND_LEADS = `
  WITH matched AS (
    SELECT lead_id, person_key FROM leads WHERE email = $1
    UNION
    SELECT lead_id, person_key FROM leads WHERE person_key = ANY(ARRAY[$1, $2]::text[])
    UNION
    SELECT lead_id, person_key FROM leads
    WHERE cardinality($3::text[]) > 0
      AND (phone_e164 = $2 OR regexp_replace(phone, '\\D', '', 'g') = ANY($3::text[]))
  )
  SELECT lead_id, person_key FROM matched
  UNION
  SELECT lead_id, person_key FROM leads WHERE person_key IN (SELECT person_key FROM matched)`;

const ERASE_LEADS = `
  UPDATE leads SET person_key = NULL, first_name = NULL, last_name = NULL, full_name = NULL, email = NULL,
    phone = NULL, phone_e164 = NULL, address = NULL, latitude = NULL, longitude = NULL, message = NULL,
    warnings = NULL, raw = NULL, erased_at = now(), updated_at = now()
  WHERE lead_id = ANY($1::text[])`;

const ERASE_DELIVERY_ERRORS = `UPDATE crm_deliveries SET last_error = NULL WHERE lead_id = ANY($1::text[]) AND last_error IS NOT NULL`;
const ERASE_TIMELINE_ERRORS = `
  UPDATE lead_events SET details = details - 'error' WHERE lead_id = ANY($1::text[]) AND details ? 'error'`;
// A person key is the person's normalised email, else their E.164 phone.
const DELETE_PEOPLE = `DELETE FROM people WHERE person_key = ANY($1::text[] || ARRAY[$2, $3]::text[])`;
const RECORD_ERASURE = `
  INSERT INTO lead_events (event_source, event_id, lead_id, type, occurred_at, details)
  SELECT $2, $3 || '/' || lead_id, lead_id, 'erased', now(), $4::jsonb FROM unnest($1::text[]) AS lead_id`;

/**
 * A privacy request (CCPA/GDPR): removes the person's personal data from leads, people, deliveries and
 * the timeline, in one transaction, and records an `erased` event in each lead's timeline. Erased leads
 * keep their ids, times, scores and delivery outcomes, and never take personal data again.
 */
@Injectable()
export class ErasePersonHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: PersistenceMetrics,
  ) {}

  async erase(target: ErasureTarget) {
    const erasureId = randomUUID();
    const matchedBy = [...(target.email ? ['email'] : []), ...(target.phoneE164 ? ['phone'] : [])];
    const result = await this.dataSource.transaction(async (manager) => {
      await manager.query(LOCK_FOR_ERASURE);
      const found: Array<{ lead_id: string; person_key: string | null }> = await manager.query(FIND_LEADS, [
        target.email,
        target.phoneE164,
        target.phoneDigits,
      ]);
      const leadIds = found.map((row) => row.lead_id).sort();
      const personKeys = [...new Set(found.flatMap((row) => (row.person_key ? [row.person_key] : [])))];
      await manager.query(ERASE_LEADS, [leadIds]);
      await manager.query(ERASE_DELIVERY_ERRORS, [leadIds]);
      await manager.query(ERASE_TIMELINE_ERRORS, [leadIds]);
      const [, peopleRemoved] = (await manager.query(DELETE_PEOPLE, [
        personKeys,
        target.email,
        target.phoneE164,
      ])) as [unknown, number];
      await manager.query(RECORD_ERASURE, [
        leadIds,
        ERASURE_EVENT_SOURCE,
        erasureId,
        JSON.stringify({ erasure_id: erasureId, matched_by: matchedBy }),
      ]);
      return { leadIds, peopleRemoved };
    });
    this.metrics.leadsErased(result.leadIds.length);
    return {
      erasure_id: erasureId,
      erased_lead_ids: result.leadIds,
      people_removed: result.peopleRemoved,
    };
  }
}
