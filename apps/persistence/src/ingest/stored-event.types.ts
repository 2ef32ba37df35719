import type { ConsumedRecord } from '@lead-delivery/messaging';
import type {
  DeliveryOutcome,
  FieldWarning,
  LeadKind,
  LeadTier,
  ScoreReason,
} from '@lead-delivery/contracts';

/** Where an event came from and when it happened (CloudEvents attributes). */
export interface EventMeta {
  record: ConsumedRecord;
  eventSource: string;
  eventId: string;
  /** ISO-8601; decides which of two events about the same thing is newer. */
  eventAt: string;
  accountId: string;
}

/** The lead's own fields, as `leads` columns (normalised values when the event has them). */
export interface LeadFields {
  lead_id: string;
  /** The account the lead was sent to: with lead_id, what names the lead. */
  account_id: string;
  kind: LeadKind;
  role: string | null;
  source: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string;
  phone: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip_code: string | null;
  list_price: number | null;
  beds: number | null;
  baths: number | null;
  sqft: number | null;
  latitude: number | null;
  longitude: number | null;
  listing_url: string | null;
  mls_id: string | null;
  mls_name: string | null;
  listing_status: string | null;
  active_days_on_market: number | null;
  listing_agent: Record<string, unknown> | null;
  pre_approved: boolean | null;
  budget_min: number | null;
  budget_max: number | null;
  is_likely_to_transact: boolean | null;
  probability_to_transact: number | null;
  message: string | null;
  lead_timestamp: string;
}

export interface ReceivedEvent {
  meta: EventMeta;
  lead: LeadFields;
  warnings: FieldWarning[];
  raw: Record<string, unknown> | null;
}

export interface EnrichedEvent {
  meta: EventMeta;
  lead: LeadFields;
  person_key: string;
  full_name: string | null;
  phone_e164: string | null;
  score: number;
  tier: LeadTier;
  score_reasons: ScoreReason[];
  model_version: string | null;
  destinations: string[];
}

export interface DeliveryEvent {
  meta: EventMeta;
  lead_id: string;
  account_id: string;
  destination: string;
  outcome: DeliveryOutcome;
  crm_record_id: string | null;
  attempts: number;
  error: string | null;
  lead_timestamp: string;
  delivered_at: string | null;
  occurred_at: string;
}

export type StoredEvent = ReceivedEvent | EnrichedEvent | DeliveryEvent;
