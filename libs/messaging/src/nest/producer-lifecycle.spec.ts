import { EventEmitter } from 'node:events';
import type { Producer } from 'kafkajs';
import type { EventPublisher } from '../producer/event-publisher';
import { KafkaConfig } from '../kafka.config';
import type { MessagingLogger } from '../messaging-logger';
import { ProducerLifecycle } from './messaging.module';

function fakeProducer() {
  const emitter = new EventEmitter();
  let finishConnect: () => void = () => undefined;
  const producer = {
    events: { DISCONNECT: 'producer.disconnect' },
    on: (event: string, listener: () => void) => emitter.on(event, listener),
    // kafkajs resolves connect() only once the idempotent producer has its producer id.
    connect: jest.fn(() => new Promise<void>((resolve) => (finishConnect = resolve))),
    disconnect: jest.fn(async () => undefined),
  };
  return {
    producer: producer as unknown as Producer,
    disconnect: producer.disconnect,
    finishConnect: () => finishConnect(),
    emit: (event: string) => emitter.emit(event),
  };
}

const logger = (): MessagingLogger =>
  ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() }) as unknown as MessagingLogger;

function lifecycle(publisher: Partial<EventPublisher>, flushTimeoutMs = 5_000) {
  const fake = fakeProducer();
  const config = Object.assign(new KafkaConfig(), { KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS: flushTimeoutMs });
  const log = logger();
  const subject = new ProducerLifecycle(fake.producer, publisher as EventPublisher, log, config);
  return { subject, fake, log };
}

describe('ProducerLifecycle', () => {
  it('reports connected only once connect() has resolved, and not after a disconnect', async () => {
    const { subject, fake } = lifecycle({});
    subject.onModuleInit();
    expect(subject.isConnected).toBe(false);
    fake.finishConnect();
    await new Promise((resolve) => setImmediate(resolve));
    expect(subject.isConnected).toBe(true);
    fake.emit('producer.disconnect');
    expect(subject.isConnected).toBe(false);
  });

  it('flushes before disconnecting on shutdown', async () => {
    const order: string[] = [];
    const { subject, fake } = lifecycle({ flush: async () => void order.push('flush') });
    fake.disconnect.mockImplementation(async () => void order.push('disconnect'));
    await subject.onApplicationShutdown();
    expect(order).toEqual(['flush', 'disconnect']);
  });

  it('stops waiting for acknowledgements after KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS and still disconnects', async () => {
    const { subject, fake, log } = lifecycle({ flush: () => new Promise<void>(() => undefined) }, 20);
    await subject.onApplicationShutdown();
    expect(fake.disconnect).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(
      { timeoutMs: 20 },
      expect.stringContaining('did not acknowledge everything'),
    );
  });
});
