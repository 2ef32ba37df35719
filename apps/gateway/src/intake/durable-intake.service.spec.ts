import type { EventPublisher, OutgoingRecord, ProducerLifecycle } from '@lead-delivery/messaging';
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { OutboxStore } from '../outbox/outbox-store';
import { DurableIntake } from './durable-intake.service';

const record: OutgoingRecord = { topic: 'leads.received.v1', key: 'l1', value: '{}', headers: {} };
// As kafkajs reports a broker's refusal: its retrier wraps the protocol error.
function refusal(): Error {
  const refused = Object.assign(new KafkaJSProtocolError('too large'), { type: 'MESSAGE_TOO_LARGE' });
  return Object.assign(new KafkaJSNonRetriableError(refused), { cause: refused });
}

function durableIntake(send: () => Promise<void>) {
  const outboxed: OutgoingRecord[] = [];
  const publisher = { send } as unknown as EventPublisher;
  const producer = { isConnected: true } as ProducerLifecycle;
  const outbox = {
    add: async (entry: OutgoingRecord) => void outboxed.push(entry),
  } as unknown as OutboxStore;
  const logger = { warn: () => undefined, error: () => undefined } as unknown as Logger;
  const intake = new DurableIntake(
    publisher,
    producer,
    outbox,
    new GatewayConfig(),
    new GatewayMetrics(new Registry()),
    logger,
  );
  return { intake, outboxed };
}

describe('DurableIntake: the Kafka circuit', () => {
  it('does not open on records Kafka refuses for what they are; each goes to the outbox', async () => {
    let fail = true;
    const { intake, outboxed } = durableIntake(async () => {
      if (fail) throw refusal();
    });
    for (let i = 0; i < 5; i++) expect(await intake.store(record)).toBe('outbox');
    expect(outboxed).toHaveLength(5);
    fail = false;
    expect(await intake.store(record)).toBe('kafka');
  });

  it('opens after three failures that say Kafka is unwell', async () => {
    let calls = 0;
    const { intake } = durableIntake(async () => {
      calls += 1;
      throw new Error('Connection error: ECONNREFUSED');
    });
    for (let i = 0; i < 5; i++) expect(await intake.store(record)).toBe('outbox');
    expect(calls).toBe(3);
  });
});
