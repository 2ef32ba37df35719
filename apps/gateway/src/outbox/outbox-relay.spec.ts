import type { EventPublisher, OutgoingRecord, ProducerLifecycle } from '@lead-delivery/messaging';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { OutboxRelay } from './outbox-relay';
import type { OutboxEntry, OutboxStore, RelayOutcome } from './outbox-store';

const entry = (id: string, value = '{}'): OutboxEntry => ({
  id,
  record: { topic: 'leads.received.v1', key: `lead-${id}`, value, headers: {} },
});

function tooLarge(): Error {
  const refused = Object.assign(new KafkaJSProtocolError('too large'), { type: 'MESSAGE_TOO_LARGE' });
  return Object.assign(new KafkaJSNonRetriableError(refused), { cause: refused });
}

/** A publisher that, like a produce request, fails every record sent with a refused one in the same tick. */
function batchingPublisher(refuse: (record: OutgoingRecord) => Error | undefined) {
  let batch: Array<{ record: OutgoingRecord; resolve(): void; reject(error: unknown): void }> = [];
  const sent: string[] = [];
  const publisher = {
    send: (record: OutgoingRecord) =>
      new Promise<void>((resolve, reject) => {
        if (batch.length === 0) {
          setImmediate(() => {
            const current = batch;
            batch = [];
            const error = current.map((pending) => refuse(pending.record)).find(Boolean);
            if (!error) sent.push(...current.map((pending) => pending.record.key));
            current.forEach((pending) => (error ? pending.reject(error) : pending.resolve()));
          });
        }
        batch.push({ record, resolve, reject });
      }),
  } as unknown as EventPublisher;
  return { publisher, sent };
}

async function relayPass(entries: OutboxEntry[], refuse: (record: OutgoingRecord) => Error | undefined) {
  const { publisher, sent } = batchingPublisher(refuse);
  let outcomes: RelayOutcome[] = [];
  const outbox = {
    ready: true,
    relayOldest: async (_limit: number, send: (offered: OutboxEntry[]) => Promise<RelayOutcome[]>) => {
      outcomes = await send(entries);
      return { offered: entries.length, relayed: 0, deadLettered: [], kept: 0 };
    },
    depth: async () => 0,
  } as unknown as OutboxStore;
  const logger = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  } as unknown as Logger;
  const relay = new OutboxRelay(
    outbox,
    publisher,
    { isConnected: true } as ProducerLifecycle,
    new GatewayMetrics(new Registry()),
    new GatewayConfig(),
    logger,
  );
  await relay.tick();
  return { outcomes, sent };
}

describe('OutboxRelay: each row settles on its own', () => {
  it('sets aside the row Kafka refuses for good and relays the rows batched with it', async () => {
    const entries = [entry('1'), entry('2', 'x'.repeat(2_000)), entry('3')];
    const { outcomes, sent } = await relayPass(entries, (record) =>
      record.value.length > 1_000 ? tooLarge() : undefined,
    );
    expect(outcomes).toEqual([
      { result: 'relayed' },
      { result: 'refused', reason: 'MESSAGE_TOO_LARGE' },
      { result: 'relayed' },
    ]);
    expect(sent).toEqual(['lead-1', 'lead-3']);
  });

  it('keeps rows that failed for a passing reason, for the next pass', async () => {
    const { outcomes } = await relayPass([entry('1'), entry('2')], () => new KafkaJSConnectionError('down'));
    expect(outcomes).toEqual([{ result: 'kept' }, { result: 'kept' }]);
  });
});
