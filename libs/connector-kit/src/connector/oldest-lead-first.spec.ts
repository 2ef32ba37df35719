import { anEnrichedLead } from '@lead-delivery/testing';
import type { DeliveryRecord } from './crm-connector';
import { oldestLeadFirst } from './oldest-lead-first';

const recordAt = (key: string, timestamp: string): DeliveryRecord<string> => ({
  key,
  record: key,
  attempt: 1,
  event: anEnrichedLead('acct-1', { timestamp }),
});

const keys = (records: DeliveryRecord<string>[]) => oldestLeadFirst(records).map(({ record }) => record.key);

describe('oldestLeadFirst', () => {
  it('orders records by their lead time, each keeping its batch position', () => {
    const records = [
      recordAt('c', '2026-12-05T10:00:02Z'),
      recordAt('a', '2026-12-05T10:00:00Z'),
      recordAt('b', '2026-12-05T10:00:01Z'),
    ];
    expect(oldestLeadFirst(records).map(({ record, index }) => [record.key, index])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 0],
    ]);
  });

  it('compares instants, not text, across offsets', () => {
    // 09:30 at -01:00 is 10:30Z: later than 10:00Z, though it sorts first as text.
    expect(
      keys([recordAt('offset', '2026-12-05T09:30:00-01:00'), recordAt('utc', '2026-12-05T10:00:00Z')]),
    ).toEqual(['utc', 'offset']);
  });

  it('keeps the batch order among equal times and puts unparseable times first', () => {
    expect(
      keys([
        recordAt('first', '2026-12-05T10:00:00Z'),
        recordAt('second', '2026-12-05T10:00:00.000Z'),
        recordAt('unreadable', 'yesterday'),
      ]),
    ).toEqual(['unreadable', 'first', 'second']);
  });
});
