// The read API's documents as the console uses them (apps/persistence/read-api.openapi.json).

export type Scope = 'read' | 'erase' | 'replay' | 'pii';

export interface Me {
  name: string;
  scopes: Scope[];
}

export interface DeliverySummary {
  destination: string;
  status: string;
}

export interface LeadSummary {
  lead_id: string;
  account_id: string;
  kind: string;
  timestamp: string | null;
  person_key: string | null;
  name: string | null;
  city: string | null;
  state: string | null;
  score: number | null;
  tier: string | null;
  deliveries: DeliverySummary[];
}

export interface LeadPage {
  items: LeadSummary[];
  next_cursor: string | null;
}

export interface TimelineEvent {
  type: string;
  occurred_at: string | null;
  destination: string | null;
  details: Record<string, unknown> | null;
  event_id: string;
  recorded_at: string | null;
}

export interface Delivery {
  destination: string;
  status: string;
  crm_record_id: string | null;
  crm_record_url: string | null;
  attempts: number;
  last_error: string | null;
  delivered_at: string | null;
  speed_to_lead_ms: number | null;
}

export interface LeadDetail {
  lead: {
    lead_id: string;
    account_id: string;
    kind: string;
    source: string | null;
    timestamp: string | null;
    contact: {
      full_name: string | null;
      first_name: string | null;
      last_name: string | null;
      email: string | null;
      phone: string | null;
    };
    property: { address: string | null; city: string | null; state: string | null };
    enrichment: {
      score: number | null;
      tier: string | null;
      reasons: unknown;
      model_version: string | null;
    } | null;
    destinations: string[] | null;
    warnings: unknown;
    received_at: string | null;
  };
  timeline: TimelineEvent[];
  deliveries: Delivery[];
  person: { person_key: string; other_inquiries: LeadSummary[] } | null;
}

export interface LeadFilter {
  q?: string;
  account?: string;
  since?: string;
  until?: string;
  tier?: string;
  status?: string;
  destination?: string;
  cursor?: string;
}

export interface SeriesPoint {
  bucket: string;
  destination: string;
  total: number;
  delivered: number;
  failed: number;
  dead_lettered: number;
  skipped: number;
  suppressed: number;
  pending: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  within_5_min_share: number | null;
}

export interface StatsSeries {
  since: string;
  until: string;
  bucket: 'hour' | 'day';
  points: SeriesPoint[];
}

export interface DlqTopic {
  topic: string;
  consumer_group: string | null;
  records: number;
}

export interface DeadLetterRow {
  partition: number;
  offset: string;
  lead_id: string | null;
  account_id: string | null;
  kind: string | null;
  attempts: number | null;
  dead_lettered_at: string;
  replayed: boolean;
  reason: string | null;
  value_omitted: string | null;
}

export interface ReplaySummary {
  replayed: number;
  already_replayed: number;
  not_replayable: Array<{ partition: number; offset: string; lead_id: string | null; reason: string | null }>;
}

export interface ErasurePlace {
  place: string;
  state: string;
  attempts: number;
  last_error: string | null;
  done_at: string | null;
}

export interface Erasure {
  erasure_id: string;
  state: string;
  account_id: string | null;
  matched_by: string[];
  requested_by: string;
  requested_at: string;
  completed_at: string | null;
  places: ErasurePlace[];
}
