import type { EventPublisher } from '../producer/event-publisher';
import type { IdempotentProducer } from '../producer/idempotent-producer';
import { KafkaConfig } from '../kafka.config';
import type { MessagingLogger } from '../messaging-logger';
import { ProducerLifecycle } from './messaging.module';

const logger = (): MessagingLogger =>
  ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() }) as unknown as MessagingLogger;

function lifecycle(publisher: Partial<EventPublisher>, flushTimeoutMs = 5_000) {
  const producer = {
    isConnected: false,
    keepConnecting: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
  };
  const config = Object.assign(new KafkaConfig(), { KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS: flushTimeoutMs });
  const log = logger();
  const subject = new ProducerLifecycle(
    producer as unknown as IdempotentProducer,
    publisher as EventPublisher,
    log,
    config,
  );
  return { subject, producer, log };
}

describe('ProducerLifecycle', () => {
  it('starts connecting in the background and reports the producer’s connection', () => {
    const { subject, producer } = lifecycle({});
    subject.onModuleInit();
    expect(producer.keepConnecting).toHaveBeenCalledTimes(1);
    expect(subject.isConnected).toBe(false);
    producer.isConnected = true;
    expect(subject.isConnected).toBe(true);
  });

  it('flushes before disconnecting on shutdown', async () => {
    const order: string[] = [];
    const { subject, producer } = lifecycle({ flush: async () => void order.push('flush') });
    producer.disconnect.mockImplementation(async () => void order.push('disconnect'));
    await subject.onApplicationShutdown();
    expect(order).toEqual(['flush', 'disconnect']);
  });

  it('stops waiting for acknowledgements after KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS and still disconnects', async () => {
    const { subject, producer, log } = lifecycle({ flush: () => new Promise<void>(() => undefined) }, 20);
    await subject.onApplicationShutdown();
    expect(producer.disconnect).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(
      { timeoutMs: 20 },
      expect.stringContaining('did not acknowledge everything'),
    );
  });
});
