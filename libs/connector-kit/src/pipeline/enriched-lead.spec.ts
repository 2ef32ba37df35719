import { HEADERS } from '@lead-delivery/contracts';
import type { ConsumedRecord } from '@lead-delivery/messaging';
import { decodeEnrichedLead } from './enriched-lead';

const valid = {
  lead: { lead_id: 'lead-1', timestamp: '2026-01-01T00:00:00.000Z', contact: { email: 'a@b.co' } },
  kind: 'standard',
  enrichment: {
    score: 10,
    tier: 'cold',
    reasons: [],
    model_version: 'm',
    person_key: 'a@b.co',
    normalized: { email: 'a@b.co' },
  },
  routing: { account_id: 'acct-1', destinations: ['hubspot'] },
};

const recordOf = (value: unknown, headers: Record<string, string> = {}): ConsumedRecord => ({
  topic: 'leads.enriched.v1',
  partition: 0,
  offset: '0',
  key: 'lead-1',
  value: value === undefined ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers,
  timestamp: '0',
});

describe('decodeEnrichedLead', () => {
  it('reads the ids and the attempts a retry-topic copy carries', () => {
    const result = decodeEnrichedLead(recordOf(valid, { [HEADERS.attempt]: '3' }));
    expect(result).toMatchObject({
      ok: true,
      lead: { leadId: 'lead-1', accountId: 'acct-1', previousAttempts: 3 },
    });
  });

  it('starts at zero attempts without a usable header', () => {
    expect(decodeEnrichedLead(recordOf(valid, { [HEADERS.attempt]: 'x' }))).toMatchObject({
      lead: { previousAttempts: 0 },
    });
  });

  it.each([
    ['an empty value', undefined, 'empty value'],
    ['non-JSON', '{oops', 'value is not JSON'],
    ['a JSON array', [], '/ must be object'],
    ['no lead id', { ...valid, lead: { ...valid.lead, lead_id: undefined } }, '/lead/lead_id is required'],
    ['a blank lead id', { ...valid, lead: { ...valid.lead, lead_id: ' ' } }, '/lead/lead_id is blank'],
    [
      'no timestamp',
      { ...valid, lead: { ...valid.lead, timestamp: undefined } },
      '/lead/timestamp is required',
    ],
    ['no enrichment', { ...valid, enrichment: undefined }, '/enrichment is required'],
    ['no account', { ...valid, routing: { destinations: [] } }, '/routing/account_id is required'],
    [
      'bad destinations',
      { ...valid, routing: { account_id: 'a', destinations: 'hubspot' } },
      '/routing/destinations must be array',
    ],
  ])('refuses %s with a reason naming the field', (_case, value, reason) => {
    const result = decodeEnrichedLead(recordOf(value));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
  });
});
