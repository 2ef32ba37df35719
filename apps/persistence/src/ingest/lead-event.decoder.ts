import {
  decodeLeadDeliveryV1,
  decodeLeadEnrichedV1,
  decodeLeadReceivedV1,
  leadKindOf,
  type EnhancedLead,
  type LeadKind,
} from '@lead-delivery/contracts';
import {
  PermanentRecordError,
  decodeJson,
  readCloudEvent,
  type ConsumedRecord,
} from '@lead-delivery/messaging';
import { mayHoldUnstorableText, storableJson } from './postgres-text.util';
import type {
  DeliveryEvent,
  EnrichedEvent,
  EventMeta,
  LeadFields,
  ReceivedEvent,
} from './stored-event.types';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const number = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const flag = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);
const nonBlank = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

// A time as our services write it (toISOString) is its own ISO-8601, unless Date.parse rolled it over: a
// day past the 28th that its month lacks (02-30 reads as 03-02) or hour 24. Those take the full conversion.
const CANONICAL_TIME = /^\d{4}-\d{2}-(?:[01]\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** ISO-8601 of a date string, or null when it is not one. */
function isoTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  return CANONICAL_TIME.test(value) ? value : new Date(time).toISOString();
}

function reject(record: ConsumedRecord, reason: string): never {
  throw new PermanentRecordError(record, reason);
}

/** The record's value, checked by the contract's decoder of its event type; text PostgreSQL cannot store is made storable. */
function readValue<Value>(
  record: ConsumedRecord,
  decode: (value: unknown) => { ok: true; value: Value } | { ok: false; reason: string },
): Value {
  const parsed = decodeJson<unknown>(record);
  const value = record.value && mayHoldUnstorableText(record.value) ? storableJson(parsed) : parsed;
  const decoded = decode(value);
  return decoded.ok ? decoded.value : reject(record, decoded.reason);
}

function readMeta(record: ConsumedRecord): EventMeta & { leadKind?: LeadKind } {
  let attributes: ReturnType<typeof readCloudEvent>;
  try {
    attributes = readCloudEvent(record.headers);
  } catch (error) {
    return reject(record, (error as Error).message);
  }
  return {
    record,
    eventSource: attributes.source,
    eventId: attributes.id,
    eventAt: isoTime(attributes.time) ?? reject(record, 'header ce_time is not a date'),
    accountId: attributes.accountId,
    ...(attributes.leadKind ? { leadKind: attributes.leadKind } : {}),
  };
}

/**
 * The `leads` columns of a lead as the spec shapes it: the hard requirements are checked (a record
 * without them is dead-lettered), every optional field is taken only when it has the right type.
 */
function leadFields(
  record: ConsumedRecord,
  lead: unknown,
  accountId: string,
  kind: LeadKind | undefined,
  normalized: JsonObject = {},
): LeadFields {
  if (!isObject(lead)) return reject(record, 'lead is not an object');
  if (!nonBlank(lead['lead_id'])) return reject(record, 'lead_id is missing or blank');
  const contact = lead['contact'];
  if (!isObject(contact) || typeof contact['email'] !== 'string') {
    return reject(record, 'contact.email is missing');
  }
  const timestamp = isoTime(lead['timestamp']) ?? reject(record, 'timestamp is not a date');
  const property = isObject(lead['property']) ? lead['property'] : {};
  const finance = isObject(lead['finance_info']) ? lead['finance_info'] : {};
  return {
    lead_id: lead['lead_id'],
    account_id: accountId,
    kind: kind ?? leadKindOf(lead as unknown as EnhancedLead),
    role: text(lead['role']),
    source: text(lead['source']),
    first_name: text(normalized['first_name']) ?? text(contact['first_name']),
    last_name: text(normalized['last_name']) ?? text(contact['last_name']),
    email: text(normalized['email']) ?? contact['email'].trim().toLowerCase(),
    phone: text(contact['phone']),
    address: text(normalized['address']) ?? text(property['address']),
    city: text(normalized['city']) ?? text(property['city']),
    state: text(normalized['state']) ?? text(property['state']),
    zip_code: text(normalized['zip_code']) ?? text(property['zip_code']),
    list_price: number(property['list_price']),
    beds: number(property['beds']),
    baths: number(property['baths']),
    sqft: number(property['sqft']),
    latitude: number(property['latitude']),
    longitude: number(property['longitude']),
    listing_url: text(property['listing_url']),
    mls_id: text(property['mls_id']),
    mls_name: text(property['mls_name']),
    listing_status: text(property['listing_status']),
    active_days_on_market: number(property['active_days_on_market']),
    listing_agent: isObject(lead['listing_agent']) ? lead['listing_agent'] : null,
    pre_approved: flag(finance['pre_approved']),
    budget_min: number(finance['budget_min']),
    budget_max: number(finance['budget_max']),
    is_likely_to_transact: flag(lead['is_likely_to_transact']),
    probability_to_transact: number(lead['probability_to_transact']),
    message: text(lead['message']),
    lead_timestamp: timestamp,
  };
}

/** A `leads.received.v1` record (LeadReceivedV1: the lead, its warnings and the raw body). */
export function decodeReceived(record: ConsumedRecord): ReceivedEvent {
  const { leadKind, ...meta } = readMeta(record);
  const { warnings, raw, ...lead } = readValue(record, decodeLeadReceivedV1);
  return { meta, lead: leadFields(record, lead, meta.accountId, leadKind), warnings, raw };
}

/** A `leads.enriched.v1` record (LeadEnrichedV1: the lead, its enrichment and its routing). */
export function decodeEnriched(record: ConsumedRecord): EnrichedEvent {
  const { leadKind, ...meta } = readMeta(record);
  const { lead, kind, enrichment, routing } = readValue(record, decodeLeadEnrichedV1);
  if (!nonBlank(enrichment.person_key)) return reject(record, 'enrichment.person_key is blank');
  if (!routing.destinations.every(nonBlank)) return reject(record, 'routing.destinations has a blank id');
  // Normalised values (enrichment's `NormalizedLead`) take the place of the lead's own.
  const normalized = enrichment.normalized as unknown as JsonObject;
  return {
    meta,
    lead: leadFields(record, lead, routing.account_id || meta.accountId, kind ?? leadKind, normalized),
    person_key: enrichment.person_key,
    full_name: text(normalized['full_name']),
    phone_e164: text(normalized['phone_e164']),
    score: enrichment.score,
    tier: enrichment.tier,
    score_reasons: enrichment.reasons,
    model_version: enrichment.model_version,
    destinations: routing.destinations,
  };
}

/** A `leads.delivery.v1` record (LeadDeliveryV1: one lead, one CRM, one outcome). */
export function decodeDelivery(record: ConsumedRecord): DeliveryEvent {
  const { leadKind: _leadKind, ...meta } = readMeta(record);
  const value = readValue(record, decodeLeadDeliveryV1);
  if (!nonBlank(value.lead_id)) return reject(record, 'lead_id is blank');
  if (!nonBlank(value.destination)) return reject(record, 'destination is blank');
  if (value.attempts < 0) return reject(record, 'attempts is negative');
  const deliveredAt = value.delivered_at === null ? null : isoTime(value.delivered_at);
  if (deliveredAt === null && value.delivered_at !== null)
    return reject(record, 'delivered_at is not a date');
  return {
    meta,
    lead_id: value.lead_id,
    account_id: value.account_id || meta.accountId,
    destination: value.destination,
    outcome: value.outcome,
    crm_record_id: value.crm_record_id,
    attempts: value.attempts,
    error: value.error,
    lead_timestamp: isoTime(value.lead_timestamp) ?? reject(record, 'lead_timestamp is not a date'),
    delivered_at: deliveredAt,
    occurred_at: isoTime(value.occurred_at) ?? reject(record, 'occurred_at is not a date'),
  };
}
