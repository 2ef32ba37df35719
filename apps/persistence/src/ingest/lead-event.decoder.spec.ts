import { HEADERS, type LeadDeliveryV1, type LeadEnrichedV1 } from '@lead-delivery/contracts';
import { MAX_RECORD_JSON_DEPTH, PermanentRecordError, type ConsumedRecord } from '@lead-delivery/messaging';
import { aStandardLead, anEnhancedLead } from '@lead-delivery/testing';
import { decodeDelivery, decodeEnriched, decodeReceived } from './lead-event.decoder';

const HEADERS_OF_AN_EVENT = {
  [HEADERS.ceId]: 'event-1',
  [HEADERS.ceType]: 'lead-delivery.lead.received.v1',
  [HEADERS.ceSource]: '/gateway',
  [HEADERS.ceTime]: '2026-01-31T17:04:06Z',
  [HEADERS.ceSubject]: 'lead-1',
  [HEADERS.accountId]: 'acct-austin',
};

const recordOf = (value: unknown, headers: Record<string, string> = HEADERS_OF_AN_EVENT): ConsumedRecord => ({
  topic: 'leads.received.v1',
  partition: 0,
  offset: '7',
  key: 'lead-1',
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers,
  timestamp: '0',
});

const reasonOf = (decode: () => unknown): string => {
  try {
    decode();
  } catch (error) {
    if (error instanceof PermanentRecordError) return error.reason;
    throw error;
  }
  throw new Error('expected a PermanentRecordError');
};

describe('decodeReceived', () => {
  it('reads a standard lead into lead columns, with its event attributes, warnings and raw body', () => {
    const lead = aStandardLead({ lead_id: 'lead-1', timestamp: '2026-01-31T11:04:05-06:00' });
    lead.contact.email = '  Maria.G@Example.COM ';
    const record = recordOf({
      ...lead,
      warnings: [{ pointer: '/x', detail: 'd', action: 'ignored' }],
      raw: { any: 'thing' },
    });
    const event = decodeReceived(record);
    expect(event.meta).toEqual({
      record,
      eventSource: '/gateway',
      eventId: 'event-1',
      eventAt: '2026-01-31T17:04:06.000Z',
      accountId: 'acct-austin',
    });
    expect(event.lead).toMatchObject({
      lead_id: 'lead-1',
      account_id: 'acct-austin',
      kind: 'standard',
      email: 'maria.g@example.com',
      city: 'Austin',
      list_price: 489_000,
      role: null,
      mls_id: null,
      pre_approved: null,
      lead_timestamp: '2026-01-31T17:04:05.000Z',
    });
    // The event's own warning, then the one of revalidation (the email was not trimmed).
    expect(event.warnings.map((warning) => warning.pointer)).toEqual(['/x', '/contact/email']);
    expect(event.raw).toEqual({ any: 'thing' });
  });

  it('takes the kind from x-lead-kind, else from the fields the lead carries', () => {
    const enhanced = { ...anEnhancedLead(), warnings: [], raw: {} };
    expect(decodeReceived(recordOf(enhanced)).lead.kind).toBe('enhanced');
    expect(
      decodeReceived(recordOf(enhanced, { ...HEADERS_OF_AN_EVENT, [HEADERS.leadKind]: 'standard' })).lead
        .kind,
    ).toBe('standard');
  });

  it('sets aside optional fields of the wrong type, with a warning, instead of refusing the lead', () => {
    const lead = {
      ...aStandardLead(),
      property: { beds: 'three', city: 7 },
      message: { text: 'hi' },
      warnings: 'none',
      raw: [],
    };
    const event = decodeReceived(recordOf(lead));
    expect(event.lead).toMatchObject({ beds: null, city: '7', message: null });
    expect(event.warnings.map((warning) => warning.pointer).sort()).toEqual([
      '/message',
      '/property/beds',
      '/property/city',
    ]);
    expect(event.raw).toEqual({});
  });

  it('cleans text PostgreSQL cannot store', () => {
    const lead = { ...aStandardLead(), message: 'a\u0000b \ud800', warnings: [], raw: {} };
    expect(decodeReceived(recordOf(lead)).lead.message).toBe('ab \ufffd');
  });

  it.each([
    ['a value that is not JSON', '{"lead_id":', HEADERS_OF_AN_EVENT, /not JSON/],
    ['a JSON array', '[1]', HEADERS_OF_AN_EVENT, /\/ must be object/],
    ['a blank lead_id', { ...aStandardLead(), lead_id: ' ' }, HEADERS_OF_AN_EVENT, /lead_id/],
    [
      'no contact email',
      { ...aStandardLead(), contact: { first_name: 'A' } },
      HEADERS_OF_AN_EVENT,
      /contact.email/,
    ],
    [
      'a timestamp that is no date',
      { ...aStandardLead(), timestamp: 'soon' },
      HEADERS_OF_AN_EVENT,
      /timestamp/,
    ],
    ['no ce_id header', aStandardLead(), { ...HEADERS_OF_AN_EVENT, [HEADERS.ceId]: '' }, /ce_id/],
    [
      'a ce_time that is no date',
      aStandardLead(),
      { ...HEADERS_OF_AN_EVENT, [HEADERS.ceTime]: 'later' },
      /ce_time/,
    ],
  ])('dead-letters %s', (_case, value, headers, reason) => {
    expect(reasonOf(() => decodeReceived(recordOf(value, headers)))).toMatch(reason);
  });
});

describe('event times', () => {
  const receivedAt = (time: string) =>
    decodeReceived(recordOf(aStandardLead(), { ...HEADERS_OF_AN_EVENT, [HEADERS.ceTime]: time })).meta
      .eventAt;

  it('reads every time as ISO-8601 in UTC, as Date reads it, and refuses what is not one', () => {
    expect(receivedAt('2026-01-31T17:04:06.123Z')).toBe('2026-01-31T17:04:06.123Z');
    expect(receivedAt('2026-01-31T11:04:06-06:00')).toBe('2026-01-31T17:04:06.000Z');
    expect(receivedAt('2026-02-30T10:00:00.000Z')).toBe('2026-03-02T10:00:00.000Z');
    expect(receivedAt('2026-04-31T10:00:00.000Z')).toBe('2026-05-01T10:00:00.000Z');
    expect(receivedAt('2026-01-31T24:00:00.000Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(receivedAt('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(
      reasonOf(() =>
        decodeReceived(
          recordOf(aStandardLead(), { ...HEADERS_OF_AN_EVENT, [HEADERS.ceTime]: '2026-13-01T00:00:00.000Z' }),
        ),
      ),
    ).toBe('header ce_time is not a date');
  });
});

describe('every decoder', () => {
  it('dead-letters a value nested deeper than MAX_RECORD_JSON_DEPTH, naming where, before walking it', () => {
    const depth = 5_000;
    const nested = `{"lead_id":"lead-1","raw":${'{"a":'.repeat(depth)}"\\u0000"${'}'.repeat(depth)}}`;
    for (const decode of [decodeReceived, decodeEnriched, decodeDelivery]) {
      expect(reasonOf(() => decode(recordOf(nested)))).toBe(
        `value nests deeper than ${MAX_RECORD_JSON_DEPTH} levels at /raw${'/a'.repeat(48)}…`,
      );
    }
  });
});

describe('decodeEnriched', () => {
  const enriched = (overrides: Partial<LeadEnrichedV1['enrichment']> = {}): LeadEnrichedV1 => ({
    lead: anEnhancedLead({ lead_id: 'lead-1' }),
    kind: 'enhanced',
    enrichment: {
      score: 88,
      tier: 'hot',
      reasons: [{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }],
      model_version: 'score-v1',
      person_key: 'maria@example.com',
      normalized: {
        email: 'maria@example.com',
        phone_e164: '+15125550142',
        first_name: 'María',
        full_name: 'María Gonzalez',
        city: 'AUSTIN',
      },
      ...overrides,
    },
    routing: { account_id: 'acct-dallas', destinations: ['hubspot', 'salesforce'] },
  });

  it('takes normalised values over the lead’s own, and the routing account', () => {
    const event = decodeEnriched(recordOf(enriched()));
    expect(event).toMatchObject({
      person_key: 'maria@example.com',
      full_name: 'María Gonzalez',
      phone_e164: '+15125550142',
      score: 88,
      tier: 'hot',
      model_version: 'score-v1',
      destinations: ['hubspot', 'salesforce'],
    });
    expect(event.lead).toMatchObject({
      account_id: 'acct-dallas',
      first_name: 'María',
      last_name: 'Gonzalez',
      city: 'AUSTIN',
      mls_id: 'ACT-1234567',
    });
  });

  it.each([
    ['no person key', { person_key: '' }, /person_key/],
    ['an unknown tier', { tier: 'lukewarm' as never }, /tier/],
    ['a score that is no number', { score: '88' as never }, /score/],
  ])('dead-letters an enrichment with %s', (_case, overrides, reason) => {
    expect(reasonOf(() => decodeEnriched(recordOf(enriched(overrides))))).toMatch(reason);
  });

  it('dead-letters an event without routing destinations', () => {
    expect(
      reasonOf(() =>
        decodeEnriched(recordOf({ ...enriched(), routing: { account_id: 'a', destinations: 'hubspot' } })),
      ),
    ).toMatch(/destinations/);
  });
});

describe('decodeDelivery', () => {
  const delivery: LeadDeliveryV1 = {
    lead_id: 'lead-1',
    account_id: 'acct-austin',
    destination: 'hubspot',
    outcome: 'delivered',
    crm_record_id: 'crm-1',
    attempts: 2,
    error: null,
    lead_timestamp: '2026-01-31T17:04:05Z',
    delivered_at: '2026-01-31T17:04:09.5Z',
    occurred_at: '2026-01-31T17:04:09.5Z',
  };

  it('reads one outcome for one destination', () => {
    expect(decodeDelivery(recordOf(delivery))).toMatchObject({
      lead_id: 'lead-1',
      destination: 'hubspot',
      outcome: 'delivered',
      attempts: 2,
      lead_timestamp: '2026-01-31T17:04:05.000Z',
      delivered_at: '2026-01-31T17:04:09.500Z',
    });
    expect(
      decodeDelivery(recordOf({ ...delivery, outcome: 'failed', delivered_at: null })).delivered_at,
    ).toBeNull();
  });

  it.each([
    ['an unknown outcome', { outcome: 'lost' }, /outcome/],
    ['negative attempts', { attempts: -1 }, /attempts/],
    ['fractional attempts', { attempts: 1.5 }, /attempts/],
    ['no destination', { destination: '' }, /destination/],
    ['a delivered_at that is no date', { delivered_at: 'now' }, /delivered_at/],
    ['no occurred_at', { occurred_at: undefined }, /occurred_at/],
  ])('dead-letters %s', (_case, overrides, reason) => {
    expect(reasonOf(() => decodeDelivery(recordOf({ ...delivery, ...overrides })))).toMatch(reason);
  });
});
