import type { EntityManager } from 'typeorm';
import { LOCK_FOR_ERASURE } from '../ingest/lead-history.sql';
import { CRM_PLACE_PREFIX } from './erasure-state';
import type { ErasureTarget } from './erasure-target';
import { eraseLeads, type LeadKey } from './lead-erasure';

export const ERASURE_EVENT_SOURCE = '/persistence/erasure';

// The person's leads in scope: those matching the email (indexed) or the phone (a scan, as a lead's phone
// can be written in any format), and every lead of the same people (indexed). $4: the account, or NULL.
const FIND_LEADS = `
  WITH matched AS (
    SELECT account_id, lead_id, person_key FROM leads WHERE email = $1
    UNION
    SELECT account_id, lead_id, person_key FROM leads WHERE person_key = ANY(ARRAY[$1, $2]::text[])
    UNION
    SELECT account_id, lead_id, person_key FROM leads
    WHERE cardinality($3::text[]) > 0
      AND (phone_e164 = $2 OR regexp_replace(phone, '\\D', '', 'g') = ANY($3::text[]))
  ), in_scope AS (
    SELECT * FROM matched WHERE $4::text IS NULL OR account_id = $4
  )
  SELECT account_id, lead_id, person_key FROM in_scope
  UNION
  SELECT account_id, lead_id, person_key FROM leads
  WHERE (account_id, person_key) IN (SELECT account_id, person_key FROM in_scope)
  ORDER BY account_id, lead_id`;
// The people of the erased leads, and those in scope keyed by the email or phone (a person key is the
// person's normalised email, else their E.164 phone).
const DELETE_PEOPLE = `
  DELETE FROM people
  WHERE (account_id, person_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     OR (person_key = ANY(ARRAY[$3, $4]::text[]) AND ($5::text IS NULL OR account_id = $5))`;
// One CRM place per destination the leads were routed or delivered to, with the records to erase there
// (ids only: the CRM step needs no personal data to find them).
const RECORD_CRM_PLACES = `
  WITH erased AS (SELECT * FROM unnest($2::text[], $3::text[]) AS e(account_id, lead_id)),
  targets AS (
    SELECT l.account_id, l.lead_id, unnest(l.destinations) AS destination
    FROM leads l JOIN erased USING (account_id, lead_id)
    UNION
    SELECT d.account_id, d.lead_id, d.destination FROM crm_deliveries d JOIN erased USING (account_id, lead_id)
  )
  INSERT INTO erasure_places (erasure_id, place, state, details)
  SELECT $1, $4 || t.destination, 'pending', jsonb_build_object('records', jsonb_agg(
    jsonb_build_object('account_id', t.account_id, 'lead_id', t.lead_id, 'crm_record_id', d.crm_record_id)
    ORDER BY t.account_id, t.lead_id))
  FROM targets t
  LEFT JOIN crm_deliveries d USING (account_id, lead_id, destination)
  GROUP BY t.destination
  ON CONFLICT (erasure_id, place) DO NOTHING`;

interface FoundLead extends LeadKey {
  person_key: string | null;
}

/**
 * The `postgres` place: removes the person's personal data from the leads, people, deliveries and
 * timeline in scope, records an `erased` event in each lead's timeline, and records the CRM places of the
 * erasure. Runs inside the worker's transaction, so it happens entirely or not at all.
 */
export async function eraseFromPostgres(
  manager: EntityManager,
  erasureId: string,
  target: ErasureTarget,
): Promise<Record<string, unknown>> {
  await manager.query(LOCK_FOR_ERASURE);
  const found: FoundLead[] = await manager.query(FIND_LEADS, [
    target.email,
    target.phoneE164,
    target.phoneDigits,
    target.accountId,
  ]);
  const matchedBy = [...(target.email ? ['email'] : []), ...(target.phoneE164 ? ['phone'] : [])];
  await manager.query(RECORD_CRM_PLACES, [
    erasureId,
    found.map((lead) => lead.account_id),
    found.map((lead) => lead.lead_id),
    CRM_PLACE_PREFIX,
  ]);
  await eraseLeads(manager, found, {
    source: ERASURE_EVENT_SOURCE,
    eventIdPrefix: erasureId,
    details: { erasure_id: erasureId, matched_by: matchedBy },
  });
  const people = found.filter((lead) => lead.person_key !== null);
  const [, peopleRemoved] = (await manager.query(DELETE_PEOPLE, [
    people.map((lead) => lead.account_id),
    people.map((lead) => lead.person_key),
    target.email,
    target.phoneE164,
    target.accountId,
  ])) as [unknown, number];
  return { leads_erased: found.length, people_removed: peopleRemoved };
}
