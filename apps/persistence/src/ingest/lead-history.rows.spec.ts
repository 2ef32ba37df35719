import type { ConsumedRecord } from '@lead-delivery/messaging';
import { deliveryRows, enrichedRows, receivedRows } from './lead-history.rows';
import type {
  DeliveryEvent,
  EnrichedEvent,
  EventMeta,
  LeadFields,
  ReceivedEvent,
} from './stored-event.types';

const record = {} as ConsumedRecord;
const meta = (eventId: string, eventAt: string): EventMeta => ({
  record,
  eventSource: '/test',
  eventId,
  eventAt,
  accountId: 'acct',
});

const leadFields = (leadId: string, overrides: Partial<LeadFields> = {}) =>
  ({
    lead_id: leadId,
    account_id: 'acct',
    kind: 'standard',
    email: `${leadId}@example.com`,
    lead_timestamp: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }) as LeadFields;

const received = (
  leadId: string,
  eventId: string,
  eventAt: string,
  overrides: Partial<LeadFields> = {},
): ReceivedEvent => ({
  meta: meta(eventId, eventAt),
  lead: leadFields(leadId, overrides),
  warnings: [],
  raw: { lead_id: leadId },
});

const enriched = (
  leadId: string,
  eventId: string,
  personKey: string,
  leadTimestamp: string,
  eventAt = leadTimestamp,
): EnrichedEvent => ({
  meta: meta(eventId, eventAt),
  lead: leadFields(leadId, { lead_timestamp: leadTimestamp, email: personKey }),
  person_key: personKey,
  full_name: `Name ${leadId}`,
  phone_e164: null,
  score: 50,
  tier: 'warm',
  score_reasons: [],
  model_version: 'v1',
  destinations: ['hubspot', 'salesforce'],
});

const delivery = (
  leadId: string,
  eventId: string,
  occurredAt: string,
  outcome: DeliveryEvent['outcome'],
  error: string | null = null,
): DeliveryEvent => ({
  meta: meta(eventId, occurredAt),
  lead_id: leadId,
  account_id: 'acct',
  destination: 'hubspot',
  outcome,
  crm_record_id: null,
  attempts: 1,
  error,
  lead_timestamp: '2026-01-01T00:00:00.000Z',
  delivered_at: outcome === 'delivered' ? occurredAt : null,
  occurred_at: occurredAt,
});

describe('receivedRows', () => {
  it('keeps the newest event per lead for the upsert, and every event for the timeline', () => {
    const rows = receivedRows([
      received('a', 'e2', '2026-01-01T00:00:02Z', { city: 'newer' }),
      received('a', 'e1', '2026-01-01T00:00:01Z', { city: 'older' }),
      received('b', 'e3', '2026-01-01T00:00:01Z'),
    ]);
    expect(rows.leads.map((row) => [row.lead_id, row.city, row.event_at])).toEqual([
      ['a', 'newer', '2026-01-01T00:00:02Z'],
      ['b', undefined, '2026-01-01T00:00:01Z'],
    ]);
    expect(rows.timeline.map((row) => [row.event_id, row.type])).toEqual([
      ['e2', 'received'],
      ['e1', 'received'],
      ['e3', 'received'],
    ]);
  });
});

describe('enrichedRows', () => {
  it('makes one person of several leads, spanning their timestamps, named after the newest', () => {
    const rows = enrichedRows(
      [
        enriched('b', 'e2', 'p@example.com', '2026-01-03T00:00:00.000Z'),
        enriched('a', 'e1', 'p@example.com', '2026-01-01T00:00:00.000Z'),
        enriched('c', 'e3', 'q@example.com', '2026-01-02T00:00:00.000Z'),
      ],
      new Set(),
    );
    expect(rows.people).toEqual([
      {
        person_key: 'p@example.com',
        email: 'p@example.com',
        phone_e164: null,
        full_name: 'Name b',
        first_seen_at: '2026-01-01T00:00:00.000Z',
        last_seen_at: '2026-01-03T00:00:00.000Z',
      },
      {
        person_key: 'q@example.com',
        email: 'q@example.com',
        phone_e164: null,
        full_name: 'Name c',
        first_seen_at: '2026-01-02T00:00:00.000Z',
        last_seen_at: '2026-01-02T00:00:00.000Z',
      },
    ]);
    expect(rows.pendingDeliveries).toHaveLength(6);
    expect(rows.leads.map((row) => row.person_key)).toEqual([
      'p@example.com',
      'p@example.com',
      'q@example.com',
    ]);
  });

  it('stores nothing personal for an erased lead but keeps its timeline and routing', () => {
    const rows = enrichedRows(
      [enriched('gone', 'e1', 'p@example.com', '2026-01-01T00:00:00.000Z')],
      new Set(['gone']),
    );
    expect(rows.people).toEqual([]);
    expect(rows.leads).toEqual([]);
    expect(rows.pendingDeliveries.map((row) => row.destination)).toEqual(['hubspot', 'salesforce']);
    expect(rows.timeline).toEqual([expect.objectContaining({ lead_id: 'gone', type: 'enriched' })]);
  });
});

describe('deliveryRows', () => {
  it('keeps the newest outcome per lead and destination, and maps outcomes to timeline types', () => {
    const rows = deliveryRows(
      [
        delivery('a', 'e2', '2026-01-01T00:00:05Z', 'delivered'),
        delivery('a', 'e1', '2026-01-01T00:00:03Z', 'failed', 'HTTP 503'),
        delivery('b', 'e3', '2026-01-01T00:00:04Z', 'dead_lettered', 'rejected'),
      ],
      new Set(),
    );
    expect(rows.deliveries.map((row) => [row.lead_id, row.status])).toEqual([
      ['a', 'delivered'],
      ['b', 'dead_lettered'],
    ]);
    expect(rows.leadStubs.map((row) => row.lead_id)).toEqual(['a', 'b']);
    expect(
      rows.timeline.map((row) => [row.event_id, row.type, row.destination, row.details['error']]),
    ).toEqual([
      ['e2', 'delivered', 'hubspot', null],
      ['e1', 'delivery_failed', 'hubspot', 'HTTP 503'],
      ['e3', 'dead_lettered', 'hubspot', 'rejected'],
    ]);
  });

  it('drops the CRM error text of an erased lead, which may quote its email', () => {
    const rows = deliveryRows(
      [delivery('gone', 'e1', '2026-01-01T00:00:05Z', 'failed', 'duplicate jane@example.com')],
      new Set(['gone']),
    );
    expect(rows.deliveries[0]?.error).toBeNull();
    expect(rows.timeline[0]?.details['error']).toBeNull();
  });
});
