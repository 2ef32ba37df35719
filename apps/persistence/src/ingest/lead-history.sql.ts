import { rowsOf, type Columns } from './column-arrays';

// Multi-row upserts: each statement takes its rows as one array per column (column-arrays.ts), and a
// batch's writes go as one statement (withTimeline), whatever its size. Idempotence and order tolerance live here: a stored row changes only for a strictly newer event, so a
// replay changes nothing (not even updated_at) and an older event arriving late never overwrites.

/** A statement over rows: its SQL reads them from rowsOf(columns), given as columnArrays(columns, rows). */
export interface RowsStatement {
  columns: Columns;
  /** The SQL, its arrays numbered from $1. */
  sql: string;
  /** The SQL, its arrays numbered from $firstParameter: for a statement that writes several tables. */
  from(firstParameter: number): string;
}

function rowsStatement(columns: Columns, sqlOver: (rows: string) => string): RowsStatement {
  return { columns, sql: sqlOver(rowsOf(columns)), from: (first) => sqlOver(rowsOf(columns, first)) };
}

const TEXT = 'text';
const NUMBER = 'double precision';
const TIME = 'timestamptz';

/** What names a lead: the same lead_id sent to two accounts is two leads. */
const LEAD_KEY: Columns = { account_id: TEXT, lead_id: TEXT };

/** The lead's own fields; they come from whichever received or enriched event is newest. */
const LEAD_FIELDS: Columns = {
  kind: TEXT,
  role: TEXT,
  source: TEXT,
  first_name: TEXT,
  last_name: TEXT,
  email: TEXT,
  phone: TEXT,
  address: TEXT,
  city: TEXT,
  state: TEXT,
  zip_code: TEXT,
  list_price: NUMBER,
  beds: NUMBER,
  baths: NUMBER,
  sqft: NUMBER,
  latitude: NUMBER,
  longitude: NUMBER,
  listing_url: TEXT,
  mls_id: TEXT,
  mls_name: TEXT,
  listing_status: TEXT,
  active_days_on_market: NUMBER,
  listing_agent: 'jsonb',
  pre_approved: 'boolean',
  budget_min: NUMBER,
  budget_max: NUMBER,
  is_likely_to_transact: 'boolean',
  probability_to_transact: NUMBER,
  message: TEXT,
  lead_timestamp: TIME,
};

const ENRICHMENT_FIELDS: Columns = {
  person_key: TEXT,
  full_name: TEXT,
  phone_e164: TEXT,
  score: NUMBER,
  tier: TEXT,
  score_reasons: 'jsonb',
  model_version: TEXT,
  destinations: 'text[]',
};

const names = (columns: Columns) => Object.keys(columns).join(', ');

const LEAD_IS_NEWER = '(l.lead_event_at IS NULL OR EXCLUDED.lead_event_at > l.lead_event_at)';
const leadFieldUpdates = Object.keys(LEAD_FIELDS)
  .map((name) => `${name} = CASE WHEN ${LEAD_IS_NEWER} THEN EXCLUDED.${name} ELSE l.${name} END`)
  .join(',\n    ');

/** An erased lead never takes personal data again (e.g. when its events are replayed). */
const NOT_ERASED = 'l.erased_at IS NULL';

const RECEIVED_LEAD_ROWS: Columns = {
  ...LEAD_KEY,
  ...LEAD_FIELDS,
  warnings: 'jsonb',
  raw: 'jsonb',
  event_at: TIME,
};

export const UPSERT_RECEIVED_LEADS = rowsStatement(
  RECEIVED_LEAD_ROWS,
  (rows) => `
  INSERT INTO leads AS l (${names(LEAD_KEY)}, ${names(LEAD_FIELDS)}, warnings, raw, lead_event_at, received_at)
  SELECT ${names(LEAD_KEY)}, ${names(LEAD_FIELDS)}, warnings, raw, event_at, event_at
  FROM ${rows}
  ON CONFLICT (account_id, lead_id) DO UPDATE SET
    ${leadFieldUpdates},
    lead_event_at = GREATEST(l.lead_event_at, EXCLUDED.lead_event_at),
    warnings = EXCLUDED.warnings,
    raw = EXCLUDED.raw,
    received_at = EXCLUDED.received_at,
    raw_purged_at = NULL,
    updated_at = now()
  WHERE ${NOT_ERASED} AND (l.received_at IS NULL OR EXCLUDED.received_at > l.received_at)`,
);

const ENRICHED_LEAD_ROWS: Columns = { ...LEAD_KEY, ...LEAD_FIELDS, ...ENRICHMENT_FIELDS, event_at: TIME };

export const UPSERT_ENRICHED_LEADS = rowsStatement(
  ENRICHED_LEAD_ROWS,
  (rows) => `
  INSERT INTO leads AS l (${names(LEAD_KEY)}, ${names(LEAD_FIELDS)}, ${names(ENRICHMENT_FIELDS)}, lead_event_at, enriched_at)
  SELECT ${names(LEAD_KEY)}, ${names(LEAD_FIELDS)}, ${names(ENRICHMENT_FIELDS)}, event_at, event_at
  FROM ${rows}
  ON CONFLICT (account_id, lead_id) DO UPDATE SET
    ${leadFieldUpdates},
    lead_event_at = GREATEST(l.lead_event_at, EXCLUDED.lead_event_at),
    ${Object.keys(ENRICHMENT_FIELDS)
      .map((name) => `${name} = EXCLUDED.${name}`)
      .join(', ')},
    enriched_at = EXCLUDED.enriched_at,
    raw_purged_at = CASE WHEN ${LEAD_IS_NEWER} THEN NULL ELSE l.raw_purged_at END,
    updated_at = now()
  WHERE ${NOT_ERASED} AND (l.enriched_at IS NULL OR EXCLUDED.enriched_at > l.enriched_at)`,
);

const LEAD_STUB_ROWS: Columns = { ...LEAD_KEY, lead_timestamp: TIME };

/** A delivery can arrive before anything else about its lead: a row with what it knows is kept. */
export const INSERT_LEAD_STUBS = rowsStatement(
  LEAD_STUB_ROWS,
  (rows) => `
  INSERT INTO leads (account_id, lead_id, lead_timestamp)
  SELECT account_id, lead_id, lead_timestamp
  FROM ${rows}
  ON CONFLICT (account_id, lead_id) DO NOTHING`,
);

const PERSON_ROWS: Columns = {
  account_id: TEXT,
  person_key: TEXT,
  email: TEXT,
  phone_e164: TEXT,
  full_name: TEXT,
  first_seen_at: TIME,
  last_seen_at: TIME,
};

export const UPSERT_PEOPLE = rowsStatement(
  PERSON_ROWS,
  (rows) => `
  INSERT INTO people AS p (account_id, person_key, email, phone_e164, full_name, first_seen_at, last_seen_at)
  SELECT account_id, person_key, email, phone_e164, full_name, first_seen_at, last_seen_at
  FROM ${rows}
  ON CONFLICT (account_id, person_key) DO UPDATE SET
    email = CASE WHEN EXCLUDED.last_seen_at >= p.last_seen_at THEN COALESCE(EXCLUDED.email, p.email) ELSE p.email END,
    phone_e164 = CASE WHEN EXCLUDED.last_seen_at >= p.last_seen_at THEN COALESCE(EXCLUDED.phone_e164, p.phone_e164) ELSE p.phone_e164 END,
    full_name = CASE WHEN EXCLUDED.last_seen_at >= p.last_seen_at THEN COALESCE(EXCLUDED.full_name, p.full_name) ELSE p.full_name END,
    first_seen_at = LEAST(p.first_seen_at, EXCLUDED.first_seen_at),
    last_seen_at = GREATEST(p.last_seen_at, EXCLUDED.last_seen_at),
    updated_at = now()
  WHERE EXCLUDED.first_seen_at < p.first_seen_at
     OR EXCLUDED.last_seen_at > p.last_seen_at
     OR (EXCLUDED.last_seen_at = p.last_seen_at
         AND (COALESCE(EXCLUDED.email, p.email), COALESCE(EXCLUDED.phone_e164, p.phone_e164),
              COALESCE(EXCLUDED.full_name, p.full_name))
             IS DISTINCT FROM (p.email, p.phone_e164, p.full_name))`,
);

const PENDING_DELIVERY_ROWS: Columns = { ...LEAD_KEY, destination: TEXT, lead_timestamp: TIME };

/** Routed destinations start as `pending`; a delivery outcome that arrived first is kept. */
export const INSERT_PENDING_DELIVERIES = rowsStatement(
  PENDING_DELIVERY_ROWS,
  (rows) => `
  INSERT INTO crm_deliveries (account_id, lead_id, destination, status, lead_timestamp)
  SELECT account_id, lead_id, destination, 'pending', lead_timestamp
  FROM ${rows}
  ON CONFLICT (account_id, lead_id, destination) DO NOTHING`,
);

const speedToLead = (deliveredAt: string, leadTimestamp: string) =>
  `(extract(epoch FROM ${deliveredAt} - ${leadTimestamp}) * 1000)::bigint`;

const DELIVERY_ROWS: Columns = {
  ...LEAD_KEY,
  destination: TEXT,
  status: TEXT,
  crm_record_id: TEXT,
  attempts: 'integer',
  error: TEXT,
  lead_timestamp: TIME,
  delivered_at: TIME,
  occurred_at: TIME,
};

/** Status from the newest outcome; delivered_at (and so speed-to-lead) from the first delivery. */
export const UPSERT_DELIVERIES = rowsStatement(
  DELIVERY_ROWS,
  (rows) => `
  INSERT INTO crm_deliveries AS d (account_id, lead_id, destination, status, crm_record_id, attempts,
    last_error, lead_timestamp, delivered_at, speed_to_lead_ms, last_event_at)
  SELECT account_id, lead_id, destination, status, crm_record_id, attempts, error, lead_timestamp,
    delivered_at, ${speedToLead('delivered_at', 'lead_timestamp')}, occurred_at
  FROM ${rows}
  ON CONFLICT (account_id, lead_id, destination) DO UPDATE SET
    status = EXCLUDED.status,
    crm_record_id = COALESCE(EXCLUDED.crm_record_id, d.crm_record_id),
    attempts = GREATEST(d.attempts, EXCLUDED.attempts),
    last_error = EXCLUDED.last_error,
    delivered_at = LEAST(d.delivered_at, EXCLUDED.delivered_at),
    speed_to_lead_ms = ${speedToLead('LEAST(d.delivered_at, EXCLUDED.delivered_at)', 'd.lead_timestamp')},
    last_event_at = EXCLUDED.last_event_at,
    updated_at = now()
  WHERE d.last_event_at IS NULL OR EXCLUDED.last_event_at > d.last_event_at`,
);

/** The timeline: a replayed event (same CloudEvents source and id) is stored once. */
export const TIMELINE_ROWS: Columns = {
  event_source: TEXT,
  event_id: TEXT,
  ...LEAD_KEY,
  type: TEXT,
  destination: TEXT,
  occurred_at: TIME,
  details: 'jsonb',
};

const INSERT_TIMELINE = rowsStatement(
  TIMELINE_ROWS,
  (rows) => `
  INSERT INTO lead_events (event_source, event_id, account_id, lead_id, type, destination, occurred_at, details)
  SELECT event_source, event_id, account_id, lead_id, type, destination, occurred_at, details
  FROM ${rows}
  ON CONFLICT (event_source, event_id) DO NOTHING`,
);

/**
 * A batch's writes and its timeline in one statement of data-modifying CTEs (one round trip instead of one
 * per table, which counts when the service waits for CPU): each statement's arrays in turn, then
 * TIMELINE_ROWS' arrays. The statements write different tables; a foreign key between two of them is
 * checked at the end of the statement. Yields `stored`, how many of the timeline rows were new (not replays).
 *
 * The timeline, which the final SELECT reads, is written first; PostgreSQL then runs the other CTEs last
 * first, so they are listed in reverse: the writes take their row locks in the order given, as when each was
 * a statement of its own (batches of the same leads on other topics then wait on each other as before).
 * PostgreSQL documents that order as unpredictable: should a version change it, two such batches may
 * deadlock, and the one PostgreSQL aborts (40P01) is contention, retried whole (libs/database).
 */
export function withTimeline(statements: readonly RowsStatement[]): string {
  let next = 1;
  const writes = statements.map((statement, index) => {
    const sql = statement.from(next);
    next += Object.keys(statement.columns).length;
    return `written_${index} AS (${sql})`;
  });
  return `
  WITH ${[`timeline AS (${INSERT_TIMELINE.from(next)} RETURNING 1)`, ...writes.reverse()].join(',\n  ')}
  SELECT count(*)::int AS stored FROM timeline`;
}

/** The stored ones of these leads, and whether their personal data was erased. */
export const SELECT_STORED_LEADS = rowsStatement(
  LEAD_KEY,
  (rows) => `
  SELECT l.account_id, l.lead_id, l.erased_at IS NOT NULL AS erased FROM leads l
  JOIN ${rows} USING (account_id, lead_id)`,
);

/**
 * Taken shared by every batch that may store personal data and exclusively by an erasure, so that an
 * erasure never interleaves with a batch that decided, before it, that a lead was not erased.
 */
export const ERASURE_LOCK_KEY = 4_180_517_301;
const LOCK_AGAINST_ERASURE = `SELECT pg_advisory_xact_lock_shared(${ERASURE_LOCK_KEY})`;

/**
 * Begins a batch's transaction under LOCK_AGAINST_ERASURE: statements of one simple query, which more
 * statements without parameters may follow, all in one round trip. The lock is its own statement, so every
 * later statement's snapshot sees an erasure committed before the lock was granted (a statement reading
 * under a lock it waited for would not).
 */
export const BEGIN_AGAINST_ERASURE = `START TRANSACTION; ${LOCK_AGAINST_ERASURE}`;
export const LOCK_FOR_ERASURE = `SELECT pg_advisory_xact_lock(${ERASURE_LOCK_KEY})`;
