import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import releasedDeliverySchema from '../../schemas/released/lead-delivery.v1.schema.json';
import { decodeLeadDeliveryV1, decodeLeadEnrichedV1, decodeLeadReceivedV1 } from './event-decoders';

const lead = {
  lead_id: 'lead-1',
  contact: { email: 'maria@example.com', first_name: 'Maria', phone: '512-555-0142' },
  timestamp: '2026-12-05T10:00:00.000Z',
  message: 'Can I see it Saturday?',
};

const received = { ...lead, warnings: [], raw: { ...lead } };

const enriched = {
  lead,
  kind: 'standard',
  enrichment: {
    score: 84,
    tier: 'hot',
    reasons: [{ factor: 'message_intent', points: 10, label: 'wants a tour +10' }],
    model_version: 'v1',
    person_key: 'maria@example.com',
    normalized: { email: 'maria@example.com', phone_e164: '+15125550142' },
  },
  routing: { account_id: 'acct-1', destinations: ['hubspot'] },
};

const delivery = {
  lead_id: 'lead-1',
  account_id: 'acct-1',
  destination: 'hubspot',
  outcome: 'delivered',
  crm_record_id: '1001',
  attempts: 1,
  error: null,
  lead_timestamp: '2026-12-05T10:00:00Z',
  delivered_at: '2026-12-05T10:00:01Z',
  occurred_at: '2026-12-05T10:00:01Z',
};

describe('event decoders', () => {
  it('accept each event as its producer publishes it, typed', () => {
    expect(decodeLeadReceivedV1(received)).toEqual({ ok: true, value: received, kind: 'standard' });
    expect(decodeLeadEnrichedV1(enriched)).toEqual({ ok: true, value: enriched });
    expect(decodeLeadDeliveryV1(delivery)).toEqual({ ok: true, value: delivery });
  });

  it('name the JSON pointer and the rule a value breaks, never the value itself', () => {
    const result = decodeLeadEnrichedV1({
      ...enriched,
      enrichment: { ...enriched.enrichment, tier: 'scorching' },
      routing: { destinations: ['hubspot'] },
    });
    expect(result.ok).toBe(false);
    const reason = result.ok ? '' : result.reason;
    expect(reason).toContain('lead-delivery.lead.enriched.v1');
    expect(reason).toContain('/enrichment/tier must be equal to one of the allowed values');
    expect(reason).toContain('/routing/account_id is required');
    expect(reason).not.toContain('scorching');
  });

  it('refuse what is not an object, and a received lead without its email', () => {
    expect(decodeLeadDeliveryV1('delivered')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('/ must be object'),
    });
    const { contact: _contact, ...withoutContact } = received;
    expect(decodeLeadReceivedV1(withoutContact)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('/contact'),
    });
  });

  it('set aside, with a warning, an optional lead field the contract does not allow', () => {
    const result = decodeLeadReceivedV1({ ...received, probability_to_transact: 7, warnings: [null, 3] });
    expect(result.ok && result.value.probability_to_transact).toBeUndefined();
    expect(result.ok && result.value.warnings.map((warning) => warning.pointer)).toEqual([
      '/probability_to_transact',
    ]);
  });

  it('accept a skipped delivery, its skip reason leading its error, and no CRM record', () => {
    const skipped = {
      ...delivery,
      outcome: 'skipped',
      crm_record_id: null,
      delivered_at: null,
      error: 'lead_source_archived: lead flow archived: Follow Up Boss ignored the event (204)',
    };
    expect(decodeLeadDeliveryV1(skipped)).toEqual({ ok: true, value: skipped });
  });

  it('a decoder on the released schema (before `skipped`) refuses a skipped delivery: see README', () => {
    const releasedDecoder = addFormats(new Ajv({ strict: false })).compile(releasedDeliverySchema);
    expect(releasedDecoder({ ...delivery, outcome: 'skipped' })).toBe(false);
    expect(releasedDecoder.errors?.[0]).toMatchObject({ instancePath: '/outcome', keyword: 'enum' });
  });

  it('refuse an unknown delivery outcome and a non-integer attempt count', () => {
    const result = decodeLeadDeliveryV1({ ...delivery, outcome: 'lost', attempts: 1.5 });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('/outcome') });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('/attempts must be integer') });
  });

  it('bound the reason when a value breaks many rules', () => {
    const result = decodeLeadDeliveryV1({});
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/\(and \d+ more\)$/) });
  });
});
