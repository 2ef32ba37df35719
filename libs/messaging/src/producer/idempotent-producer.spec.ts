import type { Kafka, Producer, ProducerBatch } from 'kafkajs';
import type { MessagingLogger } from '../messaging-logger';
import { IdempotentProducer } from './idempotent-producer';
// @ts-expect-error kafkajs ships no types for its protocol internals
import produceRequests from 'kafkajs/src/protocol/requests/produce';

interface FakeProducer {
  connect: jest.Mock<Promise<void>, []>;
  disconnect: jest.Mock<Promise<void>, []>;
  sendBatch: jest.Mock<Promise<unknown[]>, [ProducerBatch]>;
}

/** A kafkajs client whose producers are recorded in creation order; each sends as `send` says. */
function fakeKafka(
  send: (producerIndex: number) => Promise<unknown[]> = async () => [],
  connect: (producerIndex: number) => Promise<void> = async () => undefined,
) {
  const producers: FakeProducer[] = [];
  const kafka = {
    producer: jest.fn(() => {
      const index = producers.length;
      const producer: FakeProducer = {
        connect: jest.fn(() => connect(index)),
        disconnect: jest.fn(async () => undefined),
        sendBatch: jest.fn<Promise<unknown[]>, [ProducerBatch]>(() => send(index)),
      };
      producers.push(producer);
      return producer as unknown as Producer;
    }),
  };
  return { kafka: kafka as unknown as Kafka, producers };
}

const batch: ProducerBatch = { acks: -1, topicMessages: [{ topic: 't', messages: [{ value: 'v' }] }] };
const settle = () => new Promise((resolve) => setImmediate(resolve));
const logger = (): MessagingLogger =>
  ({ debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() }) as unknown as MessagingLogger;

describe('IdempotentProducer', () => {
  it('has kafkajs encode produce requests in one pass, whichever app produces', () => {
    const kafkajsProtocol = produceRequests.protocol;
    new IdempotentProducer(fakeKafka().kafka);
    expect(produceRequests.protocol).not.toBe(kafkajsProtocol);
  });

  it('creates an idempotent kafkajs producer with one request in flight', () => {
    const { kafka } = fakeKafka();
    new IdempotentProducer(kafka, { retry: { retries: 3 } });
    expect(kafka.producer).toHaveBeenCalledWith(
      expect.objectContaining({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 3 } }),
    );
  });

  it('is connected only once connect() has resolved', async () => {
    const { kafka, producers } = fakeKafka();
    let finish: () => void = () => undefined;
    const subject = new IdempotentProducer(kafka);
    producers[0]?.connect.mockImplementation(() => new Promise<void>((resolve) => (finish = resolve)));
    const connecting = subject.keepConnecting();
    expect(subject.isConnected).toBe(false);
    finish();
    await connecting;
    expect(subject.isConnected).toBe(true);
  });

  it('replaces the producer after a failed send, so that the next send starts fresh sequences', async () => {
    const refused = Object.assign(new Error('MESSAGE_TOO_LARGE'), { name: 'KafkaJSProtocolError' });
    let connectReplacement: () => void = () => undefined;
    const { kafka, producers } = fakeKafka(
      async (index) => {
        if (index === 0) throw refused;
        return [{ partition: 0 }];
      },
      async (index) => {
        if (index === 1) await new Promise<void>((resolve) => (connectReplacement = resolve));
      },
    );
    const log = logger();
    const subject = new IdempotentProducer(kafka, { logger: log });
    await subject.connect();

    await expect(subject.sendBatch(batch)).rejects.toBe(refused);
    expect(subject.isConnected).toBe(false);
    expect(producers).toHaveLength(2);
    expect(producers[0]?.disconnect).toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledWith({ err: refused }, expect.stringContaining('replaced'));

    const next = subject.sendBatch(batch);
    await settle();
    expect(producers[1]?.sendBatch).not.toHaveBeenCalled();
    connectReplacement();
    await expect(next).resolves.toEqual([{ partition: 0 }]);
    expect(producers[1]?.sendBatch).toHaveBeenCalledWith(batch);
    expect(subject.isConnected).toBe(true);
  });

  it('keeps the producer after successful sends', async () => {
    const { kafka, producers } = fakeKafka();
    const subject = new IdempotentProducer(kafka);
    await subject.connect();
    await subject.sendBatch(batch);
    await subject.sendBatch(batch);
    expect(producers).toHaveLength(1);
    expect(producers[0]?.sendBatch).toHaveBeenCalledTimes(2);
  });

  it('retries connecting with backoff until the broker answers', async () => {
    jest.useFakeTimers();
    try {
      const { kafka, producers } = fakeKafka();
      const subject = new IdempotentProducer(kafka, { logger: logger() });
      producers[0]?.connect
        .mockRejectedValueOnce(new Error('ECONNREFUSED'))
        .mockRejectedValueOnce(new Error('ECONNREFUSED'));
      const connecting = subject.keepConnecting();
      await jest.advanceTimersByTimeAsync(500 + 1_000);
      await connecting;
      expect(producers[0]?.connect).toHaveBeenCalledTimes(3);
      expect(subject.isConnected).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops connecting once disconnected, and a send then fails instead of waiting', async () => {
    const { kafka, producers } = fakeKafka();
    const subject = new IdempotentProducer(kafka, { logger: logger() });
    producers[0]?.connect.mockRejectedValue(new Error('ECONNREFUSED'));
    const connecting = subject.keepConnecting();
    await settle();
    await subject.disconnect();
    await expect(connecting).rejects.toThrow('disconnected');
    await expect(subject.sendBatch(batch)).rejects.toThrow('disconnected');
    expect(subject.isConnected).toBe(false);
  });
});
