import type { LeadEventType } from '../database/entities/lead-event.entity';
import type {
  DeliveryEvent,
  EnrichedEvent,
  EventMeta,
  LeadFields,
  ReceivedEvent,
} from './stored-event.types';

// Rows for the multi-row upserts of one batch. One INSERT ... ON CONFLICT DO UPDATE may not touch a row
// twice, so each batch is first reduced to one row per key: the newest event wins, as it does in the
// upserts themselves when the stored row is newer. A lead is named by its account and its lead_id.

/** What names one account's lead. */
export interface LeadKey {
  account_id: string;
  lead_id: string;
}

/** A lead's key as one string: for maps, sets and sorting. */
export const leadKeyOf = ({ account_id, lead_id }: LeadKey): string => `${account_id}\u0000${lead_id}`;

export interface TimelineRow extends LeadKey {
  event_source: string;
  event_id: string;
  type: LeadEventType;
  destination: string | null;
  occurred_at: string;
  details: Record<string, unknown>;
}

export type ReceivedLeadRow = LeadFields & {
  warnings: ReceivedEvent['warnings'];
  raw: ReceivedEvent['raw'];
  event_at: string;
};

export type EnrichedLeadRow = LeadFields &
  Pick<
    EnrichedEvent,
    | 'person_key'
    | 'full_name'
    | 'phone_e164'
    | 'score'
    | 'tier'
    | 'score_reasons'
    | 'model_version'
    | 'destinations'
  > & { event_at: string };

export interface PersonRow {
  account_id: string;
  person_key: string;
  email: string;
  phone_e164: string | null;
  full_name: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface PendingDeliveryRow extends LeadKey {
  destination: string;
  lead_timestamp: string;
}

export interface LeadStubRow extends LeadKey {
  lead_timestamp: string;
}

export interface DeliveryRow extends LeadKey {
  destination: string;
  status: DeliveryEvent['outcome'];
  crm_record_id: string | null;
  attempts: number;
  error: string | null;
  lead_timestamp: string;
  delivered_at: string | null;
  occurred_at: string;
}

const time = (iso: string) => Date.parse(iso);

/** The newest item per key; `at` gives an item's time, ties keep the later item of the batch. */
function newestBy<T>(items: T[], key: (item: T) => string, at: (item: T) => string): T[] {
  const newest = new Map<string, T>();
  for (const item of items) {
    const current = newest.get(key(item));
    if (!current || time(at(item)) >= time(at(current))) newest.set(key(item), item);
  }
  return [...newest.values()];
}

const byEventTime = (event: { meta: EventMeta }) => event.meta.eventAt;

function timelineEntry(
  meta: EventMeta,
  lead: LeadKey,
  type: LeadEventType,
  details: Record<string, unknown>,
  destination: string | null = null,
  occurredAt = meta.eventAt,
): TimelineRow {
  return {
    event_source: meta.eventSource,
    event_id: meta.eventId,
    account_id: lead.account_id,
    lead_id: lead.lead_id,
    type,
    destination,
    occurred_at: occurredAt,
    details,
  };
}

export function receivedRows(events: ReceivedEvent[]) {
  return {
    leads: newestBy(events, (event) => leadKeyOf(event.lead), byEventTime).map((event): ReceivedLeadRow => ({
      ...event.lead,
      warnings: event.warnings,
      raw: event.raw,
      event_at: event.meta.eventAt,
    })),
    timeline: events.map((event) =>
      timelineEntry(event.meta, event.lead, 'received', {
        kind: event.lead.kind,
        account_id: event.lead.account_id,
        warnings: event.warnings.length,
      }),
    ),
  };
}

/**
 * `erased`: keys (leadKeyOf) of leads whose PII was erased; their events are kept in the timeline but
 * nothing personal is stored.
 */
export function enrichedRows(events: EnrichedEvent[], erased: ReadonlySet<string>) {
  const newest = newestBy(events, (event) => leadKeyOf(event.lead), byEventTime);
  const live = newest.filter((event) => !erased.has(leadKeyOf(event.lead)));
  return {
    people: peopleOf(live),
    leads: live.map((event): EnrichedLeadRow => ({
      ...event.lead,
      person_key: event.person_key,
      full_name: event.full_name,
      phone_e164: event.phone_e164,
      score: event.score,
      tier: event.tier,
      score_reasons: event.score_reasons,
      model_version: event.model_version,
      destinations: event.destinations,
      event_at: event.meta.eventAt,
    })),
    pendingDeliveries: newest.flatMap((event) =>
      event.destinations.map((destination): PendingDeliveryRow => ({
        account_id: event.lead.account_id,
        lead_id: event.lead.lead_id,
        destination,
        lead_timestamp: event.lead.lead_timestamp,
      })),
    ),
    timeline: events.map((event) =>
      timelineEntry(event.meta, event.lead, 'enriched', {
        score: event.score,
        tier: event.tier,
        model_version: event.model_version,
        destinations: event.destinations,
      }),
    ),
  };
}

/**
 * One row per person of an account: the span of their leads' timestamps, and who they are according to
 * the newest lead.
 */
function peopleOf(events: EnrichedEvent[]): PersonRow[] {
  const people = new Map<string, PersonRow>();
  for (const event of events) {
    const at = event.lead.lead_timestamp;
    const key = `${event.lead.account_id}\u0000${event.person_key}`;
    const current = people.get(key);
    const identity = {
      email: event.lead.email,
      phone_e164: event.phone_e164,
      full_name: event.full_name,
    };
    if (!current) {
      people.set(key, {
        account_id: event.lead.account_id,
        person_key: event.person_key,
        ...identity,
        first_seen_at: at,
        last_seen_at: at,
      });
      continue;
    }
    if (time(at) < time(current.first_seen_at)) current.first_seen_at = at;
    if (time(at) >= time(current.last_seen_at)) Object.assign(current, identity, { last_seen_at: at });
  }
  return [...people.values()];
}

const DELIVERY_EVENT_TYPES: Record<DeliveryEvent['outcome'], LeadEventType> = {
  delivered: 'delivered',
  failed: 'delivery_failed',
  dead_lettered: 'dead_lettered',
  suppressed: 'delivery_suppressed',
  skipped: 'delivery_skipped',
};

/** CRM error texts can quote the lead (e.g. its email), so an erased lead's are not stored. */
export function deliveryRows(events: DeliveryEvent[], erased: ReadonlySet<string>) {
  const errorOf = (event: DeliveryEvent) => (erased.has(leadKeyOf(event)) ? null : event.error);
  return {
    leadStubs: newestBy(events, leadKeyOf, (event) => event.occurred_at).map((event): LeadStubRow => ({
      account_id: event.account_id,
      lead_id: event.lead_id,
      lead_timestamp: event.lead_timestamp,
    })),
    deliveries: newestBy(
      events,
      (event) => `${leadKeyOf(event)}\u0000${event.destination}`,
      (event) => event.occurred_at,
    ).map((event): DeliveryRow => ({
      account_id: event.account_id,
      lead_id: event.lead_id,
      destination: event.destination,
      status: event.outcome,
      crm_record_id: event.crm_record_id,
      attempts: event.attempts,
      error: errorOf(event),
      lead_timestamp: event.lead_timestamp,
      delivered_at: event.delivered_at,
      occurred_at: event.occurred_at,
    })),
    timeline: events.map((event) =>
      timelineEntry(
        event.meta,
        event,
        DELIVERY_EVENT_TYPES[event.outcome],
        { attempts: event.attempts, crm_record_id: event.crm_record_id, error: errorOf(event) },
        event.destination,
        event.occurred_at,
      ),
    ),
  };
}
