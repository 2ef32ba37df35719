import type { ProducerBatch } from 'kafkajs';
import { EventPublisher, type OutgoingRecord } from './event-publisher';
import type { IdempotentProducer } from './idempotent-producer';

/** A producer whose produce requests stay in flight until the spec answers them. */
class ProducerInFlight {
  readonly requests: Array<{ values: string[]; ack(): void; fail(error: Error): void }> = [];

  sendBatch(batch: ProducerBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      const values = (batch.topicMessages ?? []).flatMap(({ messages }) =>
        messages.map((message) => String(message.value)),
      );
      this.requests.push({ values, ack: () => resolve(), fail: reject });
    });
  }
}

const aRecord = (value: string): OutgoingRecord => ({
  topic: 'leads.received.v1',
  key: `acct-1:${value}`,
  value,
  headers: { ce_id: value },
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('EventPublisher', () => {
  let producer: ProducerInFlight;
  const publisher = (options: { maxBatchRecords?: number } = {}) =>
    new EventPublisher(producer as unknown as IdempotentProducer, { source: '/spec', ...options });

  beforeEach(() => {
    producer = new ProducerInFlight();
    // Timers never fire here: a send that waited for one would never go.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask'] });
  });

  afterEach(() => jest.useRealTimers());

  it('sends the records of one event-loop turn as one produce request, at the end of that turn', async () => {
    const events = publisher();
    const acked = ['a', 'b', 'c'].map((value) => events.send(aRecord(value)));
    expect(producer.requests).toEqual([]);
    await nextTurn();
    expect(producer.requests.map((request) => request.values)).toEqual([['a', 'b', 'c']]);
    producer.requests[0]?.ack();
    await expect(Promise.all(acked)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('sends what arrives while a request is in flight together once that one is answered', async () => {
    const events = publisher();
    const first = events.send(aRecord('a'));
    await nextTurn();
    const later = [events.send(aRecord('b')), events.send(aRecord('c'))];
    await nextTurn();
    expect(producer.requests).toHaveLength(1);
    producer.requests[0]?.ack();
    await first;
    await nextTurn();
    expect(producer.requests.map((request) => request.values)).toEqual([['a'], ['b', 'c']]);
    producer.requests[1]?.ack();
    await Promise.all(later);
  });

  it("rejects each record of a failed request with its error, and still sends the next one's", async () => {
    const events = publisher();
    const first = events.send(aRecord('a'));
    await nextTurn();
    const second = events.send(aRecord('b'));
    producer.requests[0]?.fail(new Error('broker gone'));
    await expect(first).rejects.toThrow('broker gone');
    await nextTurn();
    expect(producer.requests.map((request) => request.values)).toEqual([['a'], ['b']]);
    producer.requests[1]?.ack();
    await expect(second).resolves.toBeUndefined();
  });

  it('sends a full batch at once, and at most maxBatchRecords per request', async () => {
    const events = publisher({ maxBatchRecords: 2 });
    const acked = ['a', 'b', 'c', 'd', 'e'].map((value) => events.send(aRecord(value)));
    expect(producer.requests.map((request) => request.values)).toEqual([['a', 'b']]);
    producer.requests[0]?.ack();
    await acked[1];
    await nextTurn();
    producer.requests[1]?.ack();
    await acked[3];
    await nextTurn();
    producer.requests[2]?.ack();
    await Promise.all(acked);
    expect(producer.requests.map((request) => request.values)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('flush sends what is queued and waits for every acknowledgement', async () => {
    const events = publisher();
    const acked = events.send(aRecord('a'));
    let flushed = false;
    const flushing = events.flush().then(() => (flushed = true));
    expect(producer.requests.map((request) => request.values)).toEqual([['a']]);
    await nextTurn();
    expect(flushed).toBe(false);
    producer.requests[0]?.ack();
    await flushing;
    await acked;
    expect(producer.requests).toHaveLength(1);
  });
});
