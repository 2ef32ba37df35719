import type { ConsumedRecord } from '@lead-delivery/messaging';
import { deliveryRows, enrichedRows, leadKeyOf, receivedRows } from './lead-history.rows';
import type {
  DeliveryEvent,
  EnrichedEvent,
  EventMeta,
  LeadFields,
  ReceivedEvent,
} from './stored-event.types';

const record = {} as ConsumedRecord;
const meta = (eventId: string, eventAt: string, accountId = 'acct'): EventMeta => ({
  record,
  eventSource: '/test',
  eventId,
  eventAt,
  accountId,
});
const erasedLead = (leadId: string) => new Set([leadKeyOf({ account_id: 'acct', lead_id: leadId })]);

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
  accountId = 'acct',
): EnrichedEvent => ({
  meta: meta(eventId, eventAt, accountId),
  lead: leadFields(leadId, { lead_timestamp: leadTimestamp, email: personKey, account_id: accountId }),
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
  accountId = 'acct',
): DeliveryEvent => ({
  meta: meta(eventId, occurredAt, accountId),
  lead_id: leadId,
  account_id: accountId,
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

  it('keeps one row per account for a lead sent to two accounts', () => {
    const rows = receivedRows([
      received('a', 'e1', '2026-01-01T00:00:01Z', { account_id: 'agent', city: 'for the agent' }),
      received('a', 'e2', '2026-01-01T00:00:02Z', { account_id: 'brokerage', city: 'for the brokerage' }),
    ]);
    expect(rows.leads.map((row) => [row.account_id, row.lead_id, row.city])).toEqual([
      ['agent', 'a', 'for the agent'],
      ['brokerage', 'a', 'for the brokerage'],
    ]);
    expect(rows.timeline.map((row) => [row.account_id, row.lead_id])).toEqual([
      ['agent', 'a'],
      ['brokerage', 'a'],
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
        account_id: 'acct',
        person_key: 'p@example.com',
        email: 'p@example.com',
        phone_e164: null,
        full_name: 'Name b',
        first_seen_at: '2026-01-01T00:00:00.000Z',
        last_seen_at: '2026-01-03T00:00:00.000Z',
      },
      {
        account_id: 'acct',
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

  it('makes one person per account of the same person asking two accounts, with a lead in each', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const rows = enrichedRows(
      [
        enriched('a', 'e1', 'p@example.com', at, at, 'agent'),
        enriched('a', 'e2', 'p@example.com', at, at, 'brokerage'),
      ],
      new Set(),
    );
    expect(rows.people.map((row) => [row.account_id, row.person_key])).toEqual([
      ['agent', 'p@example.com'],
      ['brokerage', 'p@example.com'],
    ]);
    expect(rows.leads.map((row) => [row.account_id, row.lead_id])).toEqual([
      ['agent', 'a'],
      ['brokerage', 'a'],
    ]);
    expect(rows.pendingDeliveries.map((row) => [row.account_id, row.lead_id, row.destination])).toEqual([
      ['agent', 'a', 'hubspot'],
      ['agent', 'a', 'salesforce'],
      ['brokerage', 'a', 'hubspot'],
      ['brokerage', 'a', 'salesforce'],
    ]);
  });

  it('stores nothing personal for an erased lead but keeps its timeline and routing', () => {
    const rows = enrichedRows(
      [enriched('gone', 'e1', 'p@example.com', '2026-01-01T00:00:00.000Z')],
      erasedLead('gone'),
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

  it('stores a skipped delivery as skipped, its reason as the error, on a delivery_skipped timeline entry', () => {
    const reason = 'lead_source_archived: lead flow archived: Follow Up Boss ignored the event (204)';
    const rows = deliveryRows([delivery('a', 'e1', '2026-01-01T00:00:02Z', 'skipped', reason)], new Set());

    expect(rows.deliveries).toEqual([
      expect.objectContaining({ lead_id: 'a', status: 'skipped', error: reason, delivered_at: null }),
    ]);
    expect(rows.timeline.map((row) => [row.type, row.details['error']])).toEqual([
      ['delivery_skipped', reason],
    ]);
  });

  it('keeps the same lead and destination of two accounts apart', () => {
    const rows = deliveryRows(
      [
        delivery('a', 'e1', '2026-01-01T00:00:05Z', 'delivered', null, 'agent'),
        delivery('a', 'e2', '2026-01-01T00:00:06Z', 'failed', 'HTTP 503', 'brokerage'),
      ],
      new Set(),
    );
    expect(rows.deliveries.map((row) => [row.account_id, row.lead_id, row.status])).toEqual([
      ['agent', 'a', 'delivered'],
      ['brokerage', 'a', 'failed'],
    ]);
    expect(rows.leadStubs.map((row) => [row.account_id, row.lead_id])).toEqual([
      ['agent', 'a'],
      ['brokerage', 'a'],
    ]);
  });

  it("drops the CRM error text of an erased lead, which may quote its email, not another account's", () => {
    const error = 'duplicate jane@example.com';
    const rows = deliveryRows(
      [
        delivery('gone', 'e1', '2026-01-01T00:00:05Z', 'failed', error),
        delivery('gone', 'e2', '2026-01-01T00:00:05Z', 'failed', error, 'brokerage'),
      ],
      erasedLead('gone'),
    );
    expect(rows.deliveries.map((row) => [row.account_id, row.error])).toEqual([
      ['acct', null],
      ['brokerage', error],
    ]);
    expect(rows.timeline.map((row) => row.details['error'])).toEqual([null, error]);
  });
});
