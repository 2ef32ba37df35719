import { silentLogger, type EventPublisher } from '@lead-delivery/messaging';
import { Registry } from 'prom-client';
import type { CallLimiter } from '../budget/call-limiter';
import { deliverySettings, loadConnectorConfig } from '../config/connector-kit.config';
import type { CrmConnector } from '../connector/crm-connector';
import type { KafkaClient } from '../intake/kafka-types';
import type { ConnectorStore } from '../store/connector-store';
import type { SuppressionFeed } from '../suppression/suppression-feed';
import { ConnectorRuntime } from './connector-runtime';

const config = loadConnectorConfig(
  {},
  { KAFKA_BROKERS: 'k:9092', CONNECTOR_DATABASE_URL: 'postgres://connector@db:5432/ld' },
);
const settings = deliverySettings(
  { maxBatchSize: 10, callsPerWindow: 10, callWindowMs: 1_000 },
  config.connector,
);

function runtimeWith(suppression: Partial<SuppressionFeed> | undefined) {
  return new ConnectorRuntime({
    connector: { destination: 'fakecrm' } as CrmConnector<unknown>,
    settings,
    kafka: {} as KafkaClient,
    publisher: {} as EventPublisher,
    registry: new Registry(),
    logger: silentLogger,
    store: { pool: {} } as unknown as ConnectorStore,
    ledgerRetentionMs: 60_000,
    ledgerRolloutMarginMs: 0,
    limiter: {} as CallLimiter,
    stallTimeoutMs: 60_000,
    ...(suppression ? { suppression: suppression as SuppressionFeed } : {}),
  });
}

describe('ConnectorRuntime liveness', () => {
  it('passes while the suppression feed runs', async () => {
    const runtime = runtimeWith({ status: { running: true, caughtUp: true, suppressed: 0 } });
    await expect(runtime.liveness.check()).resolves.toMatchObject({ running: false });
  });

  it('fails once the suppression feed crashed for good: the replica would deliver erased identities', async () => {
    const runtime = runtimeWith({
      status: { running: false, caughtUp: true, suppressed: 3, crashed: 'broker gone' },
    });
    await expect(runtime.liveness.check()).rejects.toThrow('suppression feed crashed: broker gone');
  });

  it('passes without a suppression feed', async () => {
    await expect(runtimeWith(undefined).liveness.check()).resolves.toBeDefined();
  });
});
