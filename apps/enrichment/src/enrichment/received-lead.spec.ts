import { HEADERS, LEAD_RECEIVED_V1, type LeadReceivedV1 } from '@lead-delivery/contracts';
import { PermanentRecordError, cloudEventHeaders, type ConsumedRecord } from '@lead-delivery/messaging';
import { anEnhancedLead, aStandardLead } from '@lead-delivery/testing';
import { readReceivedLead } from './received-lead';

const RECEIVED_AT = new Date('2026-03-02T15:00:00.000Z');

function receivedValue(overrides: Partial<LeadReceivedV1> = {}): LeadReceivedV1 {
  const lead = anEnhancedLead();
  return { ...lead, warnings: [], raw: { ...lead }, ...overrides };
}

function headersFor(value: LeadReceivedV1): Record<string, string> {
  return cloudEventHeaders(LEAD_RECEIVED_V1, value, '/gateway', {
    accountId: 'acct-a',
    leadKind: 'enhanced',
    time: RECEIVED_AT,
  });
}

function recordOf(value: unknown, headers = headersFor(value as LeadReceivedV1)): ConsumedRecord {
  return {
    topic: LEAD_RECEIVED_V1.topic,
    partition: 0,
    offset: '7',
    key: 'lead-1',
    value: typeof value === 'string' ? Buffer.from(value) : Buffer.from(JSON.stringify(value)),
    headers,
    timestamp: '0',
  };
}

function rejection(record: ConsumedRecord): PermanentRecordError {
  try {
    readReceivedLead(record);
  } catch (error) {
    if (error instanceof PermanentRecordError) return error;
    throw error;
  }
  throw new Error('the record was accepted');
}

describe('readReceivedLead', () => {
  it('reads the lead, its kind, its warnings and its CloudEvents attributes, leaving raw aside', () => {
    const value = receivedValue({
      warnings: [
        { pointer: '/probability_to_transact', action: 'dropped', detail: 'must not be greater than 1' },
      ],
      raw: { probability_to_transact: 1.2 },
    });
    const received = readReceivedLead(recordOf(value));
    const { warnings: _warnings, raw: _raw, ...lead } = value;
    expect(received.lead).toEqual(lead);
    expect(received.kind).toBe('enhanced');
    expect(received.warnings).toEqual(value.warnings);
    expect(received.event).toMatchObject({
      accountId: 'acct-a',
      type: LEAD_RECEIVED_V1.type,
      subject: value.lead_id,
    });
    expect(received.receivedAt).toEqual(RECEIVED_AT);
  });

  it('takes the kind from the lead, not from the header', () => {
    const value = { ...aStandardLead(), warnings: [], raw: {} };
    expect(recordOf(value).headers[HEADERS.leadKind]).toBe('enhanced');
    expect(readReceivedLead(recordOf(value)).kind).toBe('standard');
  });

  it('copes with any raw payload and malformed warnings', () => {
    const value = {
      ...aStandardLead(),
      raw: JSON.parse(
        '{"__proto__": {"polluted": true}, "probability_to_transact": "1e400", "contact": null}',
      ),
      warnings: [null, 7, 'x', { pointer: 3 }, { pointer: '/beds', action: 'dropped', detail: 'x' }],
    };
    const received = readReceivedLead(recordOf(value));
    expect(received.warnings).toEqual([{ pointer: '/beds', action: 'dropped', detail: 'x' }]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('validates the lead again, setting aside what the contract does not allow', () => {
    const value = { ...receivedValue(), probability_to_transact: 7 };
    const received = readReceivedLead(recordOf(value));
    expect(received.lead.probability_to_transact).toBeUndefined();
    expect(received.warnings.map((warning) => warning.pointer)).toEqual(['/probability_to_transact']);
  });

  it.each<[string, () => ConsumedRecord, RegExp]>([
    ['an empty value', () => ({ ...recordOf(receivedValue()), value: null }), /empty value/],
    [
      'a value that is not JSON',
      () => recordOf('maria@example.com is not JSON', headersFor(receivedValue())),
      /^value is not JSON$/,
    ],
    ['a JSON array', () => recordOf([1, 2], headersFor(receivedValue())), /\/ must be object/],
    [
      'a lead nested 5,000 levels deep',
      () =>
        recordOf(
          `{"lead_id":"lead-1","message":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
          headersFor(receivedValue()),
        ),
      /^value nests deeper than 512 levels at \/message\/0\/0/,
    ],
    [
      'a lead without an email',
      () => recordOf({ ...receivedValue(), contact: { first_name: 'Maria' } }),
      /value breaks lead-delivery.lead.received.v1: \/contact\/email is required/,
    ],
    [
      'a record without CloudEvents headers',
      () => recordOf(receivedValue(), { [HEADERS.accountId]: 'acct-a' }),
      /missing header ce_id/,
    ],
    [
      'another event type',
      () => {
        const record = recordOf(receivedValue());
        return {
          ...record,
          headers: { ...record.headers, [HEADERS.ceType]: 'lead-delivery.lead.enriched.v1' },
        };
      },
      /ce_type is lead-delivery.lead.enriched.v1/,
    ],
    [
      'a ce_time that is not a time',
      () => {
        const record = recordOf(receivedValue());
        return { ...record, headers: { ...record.headers, [HEADERS.ceTime]: 'yesterday' } };
      },
      /ce_time is not a timestamp/,
    ],
  ])('dead-letters %s, without personal data in the reason', (_case, record, reason) => {
    const error = rejection(record());
    expect(error.reason).toMatch(reason);
    expect(error.reason).not.toMatch(/@|maria/i);
  });
});
