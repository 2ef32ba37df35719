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

// The person's leads in every account: those matching the email (indexed) or the phone (a scan, as a
// lead's phone can be written in any format), and every lead of the same people (indexed).
const FIND_LEADS = `
  WITH matched AS (
    SELECT account_id, lead_id, person_key FROM leads WHERE email = $1
    UNION
    SELECT account_id, lead_id, person_key FROM leads WHERE person_key = ANY(ARRAY[$1, $2]::text[])
    UNION
    SELECT account_id, lead_id, person_key FROM leads
    WHERE cardinality($3::text[]) > 0
      AND (phone_e164 = $2 OR regexp_replace(phone, '\\D', '', 'g') = ANY($3::text[]))
  )
  SELECT account_id, lead_id, person_key FROM matched
  UNION
  SELECT account_id, lead_id, person_key FROM leads
  WHERE (account_id, person_key) IN (SELECT account_id, person_key FROM matched)
  ORDER BY account_id, lead_id`;

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
// The people of the erased leads, and in any account those keyed by the email or phone (a person key is
// the person's normalised email, else their E.164 phone).
const DELETE_PEOPLE = `
  DELETE FROM people
  WHERE (account_id, person_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     OR person_key = ANY(ARRAY[$3, $4]::text[])`;
const RECORD_ERASURE = `
  INSERT INTO lead_events (event_source, event_id, account_id, lead_id, type, occurred_at, details)
  SELECT $3, $4 || '/' || account_id || '/' || lead_id, account_id, lead_id, 'erased', now(), $5::jsonb
  FROM (${LEADS}) erased`;

interface FoundLead {
  account_id: string;
  lead_id: string;
  person_key: string | null;
}

/**
 * A privacy request (CCPA/GDPR): removes the person's personal data from leads, people, deliveries and
 * the timeline of every account, in one transaction, and records an `erased` event in each lead's
 * timeline. Erased leads keep their ids, times, scores and delivery outcomes, and never take personal
 * data again.
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
      const found: FoundLead[] = await manager.query(FIND_LEADS, [
        target.email,
        target.phoneE164,
        target.phoneDigits,
      ]);
      const leads = [found.map((row) => row.account_id), found.map((row) => row.lead_id)];
      await manager.query(ERASE_LEADS, leads);
      await manager.query(ERASE_DELIVERY_ERRORS, leads);
      await manager.query(ERASE_TIMELINE_ERRORS, leads);
      const people = found.filter((row) => row.person_key !== null);
      const [, peopleRemoved] = (await manager.query(DELETE_PEOPLE, [
        people.map((row) => row.account_id),
        people.map((row) => row.person_key),
        target.email,
        target.phoneE164,
      ])) as [unknown, number];
      await manager.query(RECORD_ERASURE, [
        ...leads,
        ERASURE_EVENT_SOURCE,
        erasureId,
        JSON.stringify({ erasure_id: erasureId, matched_by: matchedBy }),
      ]);
      return { found, peopleRemoved };
    });
    this.metrics.leadsErased(result.found.length);
    return {
      erasure_id: erasureId,
      erased_leads: result.found.map(({ account_id, lead_id }) => ({ account_id, lead_id })),
      people_removed: result.peopleRemoved,
    };
  }
}
