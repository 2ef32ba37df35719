/**
 * Leads whose contact data has outlived its account's retention, oldest first, in small locked chunks
 * (SKIP LOCKED lets replicas sweep side by side). $1: now; $2/$3: accounts with their own retention
 * (days); $4: the default days; $5: chunk size.
 */
export const EXPIRED_CONTACTS = `
  SELECT l.account_id, l.lead_id, l.person_key FROM leads l
  LEFT JOIN unnest($2::text[], $3::int[]) AS own(account_id, days) ON own.account_id = l.account_id
  WHERE l.erased_at IS NULL
    AND l.lead_timestamp < $1::timestamptz - make_interval(days => COALESCE(own.days, $4::int))
  ORDER BY l.lead_timestamp
  LIMIT $5
  FOR UPDATE OF l SKIP LOCKED`;

/** The people (account, person key) of the erased leads that no lead still holding personal data names. */
export const DELETE_PEOPLE_WITHOUT_LEADS = `
  DELETE FROM people p
  USING unnest($1::text[], $2::text[]) AS erased(account_id, person_key)
  WHERE (p.account_id, p.person_key) = (erased.account_id, erased.person_key)
    AND NOT EXISTS (
      SELECT 1 FROM leads l
      WHERE l.account_id = p.account_id AND l.person_key = p.person_key AND l.erased_at IS NULL)`;
