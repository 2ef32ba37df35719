import { HEADERS } from '@lead-delivery/contracts';
import { REPLAYED_FROM_HEADER } from '@lead-delivery/connector-kit/records';
import { listRow, replayOf, selects, type DeadLetter } from './dead-letter';

const letter = (headers: Record<string, string>): DeadLetter => ({
  topic: 'leads.enriched.v1.dlq.connector-hubspot',
  partition: 0,
  offset: '42',
  key: 'lead-7',
  value: Buffer.from('{"lead":{}}'),
  headers: {
    [HEADERS.ceId]: 'e-1',
    [HEADERS.accountId]: 'acct-1',
    [HEADERS.traceparent]: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    ...headers,
  },
  timestamp: '1767225600000',
});

const deadLetterHeaders = {
  [HEADERS.originalTopic]: 'leads.enriched.v1',
  [HEADERS.originalPartition]: '2',
  [HEADERS.originalOffset]: '9',
  [HEADERS.consumerGroup]: 'connector-hubspot',
  [HEADERS.errorKind]: 'rejected_by_crm',
  [HEADERS.errorReason]: 'INVALID_EMAIL: jane@x.org',
  [HEADERS.errorAt]: '2026-02-01T10:00:00.000Z',
  [HEADERS.attempt]: '2',
  [HEADERS.notBefore]: '2026-02-01T10:05:00.000Z',
};

describe('dead letters', () => {
  it('are selected by account, by one account’s lead and by the time they were dead-lettered', () => {
    const agents = letter(deadLetterHeaders);
    const brokerages = letter({ ...deadLetterHeaders, [HEADERS.accountId]: 'acct-2' });
    const pick = (selection: Parameters<typeof selects>[0]) =>
      [agents, brokerages].filter((candidate) => selects(selection, candidate));

    expect(pick({})).toEqual([agents, brokerages]);
    expect(pick({ accountId: 'acct-2' })).toEqual([brokerages]);
    expect(pick({ accountId: 'acct-1', leadId: 'lead-7' })).toEqual([agents]);
    expect(pick({ accountId: 'acct-1', leadId: 'lead-8' })).toEqual([]);
    expect(pick({ leadId: 'lead-7' })).toEqual([agents, brokerages]);
    expect(pick({ since: new Date('2026-02-01T10:00:00.000Z') })).toEqual([agents, brokerages]);
    expect(pick({ since: new Date('2026-02-01T10:00:00.001Z') })).toEqual([]);
  });

  it('list rows carry ids, the failure and its time, with PII masked in the reason', () => {
    expect(listRow(letter(deadLetterHeaders), false)).toEqual({
      partition: 0,
      offset: '42',
      leadId: 'lead-7',
      accountId: 'acct-1',
      kind: 'rejected_by_crm',
      attempts: 2,
      deadLetteredAt: '2026-02-01T10:00:00.000Z',
      replayed: false,
      reason: 'INVALID_EMAIL: j***@x***.org',
      valueOmitted: null,
    });
  });

  it('a replay goes to the original topic with the dead-letter headers dropped and its origin added', () => {
    const replay = replayOf(letter(deadLetterHeaders));
    expect(replay).toEqual({
      ok: true,
      record: {
        topic: 'leads.enriched.v1',
        key: 'lead-7',
        value: Buffer.from('{"lead":{}}'),
        headers: {
          [HEADERS.ceId]: 'e-1',
          [HEADERS.accountId]: 'acct-1',
          [HEADERS.traceparent]: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          [REPLAYED_FROM_HEADER]: 'leads.enriched.v1.dlq.connector-hubspot/0/42',
        },
      },
    });
  });

  it('cannot replay a dead letter whose value was too large for the DLQ, and says where the record is', () => {
    const omitted = letter({
      ...deadLetterHeaders,
      [HEADERS.originalPartition]: '3',
      [HEADERS.originalOffset]: '1234',
      [HEADERS.valueOmitted]: 'MESSAGE_TOO_LARGE',
    });
    expect(listRow(omitted, false).valueOmitted).toBe('MESSAGE_TOO_LARGE');
    expect(replayOf(omitted)).toEqual({
      ok: false,
      reason:
        'the value was too large for the DLQ (MESSAGE_TOO_LARGE) and is not in it; the record is ' +
        "leads.enriched.v1 partition 3 offset 1234, until that topic's retention removes it",
    });
  });

  it('cannot replay a record that does not say where it came from', () => {
    expect(replayOf(letter({}))).toEqual({ ok: false, reason: 'no x-original-topic header' });
  });
});
