import type { ConsumedRecord } from '@lead-delivery/messaging';
import { REPLAYED_FROM_HEADER, isReplayForAnotherGroup, replayedFrom } from './replay-header';

const record = (headers: Record<string, string>): ConsumedRecord => ({
  topic: 'leads.enriched.v1',
  partition: 0,
  offset: '1',
  key: 'l',
  value: null,
  headers,
  timestamp: '0',
});

describe('replayed records', () => {
  const own = 'leads.enriched.v1.dlq.connector-hubspot';

  it('are acted on only by the group whose DLQ they came from', () => {
    const fromOwn = record({ [REPLAYED_FROM_HEADER]: replayedFrom(own, 0, '17') });
    const fromOther = record({
      [REPLAYED_FROM_HEADER]: replayedFrom('leads.enriched.v1.dlq.connector-salesforce', 0, '3'),
    });
    expect(isReplayForAnotherGroup(fromOwn, own)).toBe(false);
    expect(isReplayForAnotherGroup(fromOther, own)).toBe(true);
    expect(isReplayForAnotherGroup(record({}), own)).toBe(false);
  });
});
