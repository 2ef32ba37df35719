import { HEADERS, TOPICS, dlqTopicOf, retryTopicOf } from '@lead-delivery/contracts';
import type { ConsumedRecord } from './consumed-record';
import { deadLetterOf } from './dead-letters';

const GROUP = 'connector-hubspot';
const FAILURE = { kind: 'record_failed', reason: 'TypeError: bad shape' };

function record(topic: string, headers: Record<string, string> = {}): ConsumedRecord {
  return {
    topic,
    partition: 2,
    offset: '41',
    key: 'lead-1',
    value: Buffer.from('{}'),
    headers,
    timestamp: '0',
  };
}

describe('deadLetterOf', () => {
  it("sends a source topic's record to that topic's DLQ, ignoring forged x-original-* headers", () => {
    const forged = record(TOPICS.leadEnriched, {
      [HEADERS.originalTopic]: '1e400',
      [HEADERS.originalPartition]: '99',
      [HEADERS.originalOffset]: '12345',
    });
    const letter = deadLetterOf(forged, GROUP, FAILURE);
    expect(letter.topic).toBe(dlqTopicOf(TOPICS.leadEnriched, GROUP));
    expect(letter.headers).toMatchObject({
      [HEADERS.originalTopic]: TOPICS.leadEnriched,
      [HEADERS.originalPartition]: '2',
      [HEADERS.originalOffset]: '41',
    });
  });

  it('sends a retry-topic copy to the DLQ of its source topic, keeping where it was first consumed', () => {
    const parked = record(retryTopicOf(TOPICS.leadEnriched, GROUP), {
      [HEADERS.originalTopic]: TOPICS.leadEnriched,
      [HEADERS.originalPartition]: '0',
      [HEADERS.originalOffset]: '7',
      [HEADERS.notBefore]: '2026-12-05T00:00:00Z',
    });
    const letter = deadLetterOf(parked, GROUP, FAILURE);
    expect(letter.topic).toBe(dlqTopicOf(TOPICS.leadEnriched, GROUP));
    expect(letter.headers).toMatchObject({
      [HEADERS.originalTopic]: TOPICS.leadEnriched,
      [HEADERS.originalPartition]: '0',
      [HEADERS.originalOffset]: '7',
      [HEADERS.errorKind]: 'record_failed',
    });
    expect(letter.headers).not.toHaveProperty(HEADERS.notBefore);
  });
});
