import { PRIVACY_TOPICS, type LeadTier } from '@lead-delivery/contracts';
import { EventPublisher, KAFKA_CLIENT, silentLogger } from '@lead-delivery/messaging';
import { expectEventually } from '@lead-delivery/testing';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import type { EachBatchPayload } from 'kafkajs';
import pino from 'pino';
import { SCHEDULER_SETTINGS, pendingLead } from '../../test/support/scheduler-fakes';
import { memoryCallLimiter } from '../budget/call-limiter';
import type { ConnectorAppConfig } from '../config/connector-kit.config';
import { ConnectorError } from '../connector/connector.error';
import { CallPacer } from '../pipeline/call-pacer';
import { ConnectorRuntime } from '../runtime/connector-runtime';
import type { CrmEraser } from './crm-eraser';
import { ErasureRuntimeModule } from './erasure-runtime.module';

/** A kafkajs consumer reduced to what the runner uses; `deliver` plays one fetched erasure request. */
function fakeKafka() {
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const idle = async () => undefined;
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: () => undefined,
    connect: idle,
    subscribe: idle,
    disconnect: idle,
    commitOffsets: idle,
    run: async (options: { eachBatch: typeof eachBatch }) => void (eachBatch = options.eachBatch),
  };
  const deliver = (value: object) =>
    (eachBatch as (payload: EachBatchPayload) => Promise<void>)({
      batch: {
        topic: PRIVACY_TOPICS.crmErasureRequested,
        partition: 0,
        messages: [
          { offset: '0', key: null, value: Buffer.from(JSON.stringify(value)), headers: {}, timestamp: '0' },
        ],
        highWatermark: '1',
        offsetLag: () => '0',
      },
      heartbeat: async () => undefined,
      resolveOffset: () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  return { kafka: { consumer: () => consumer }, deliver };
}

function leadOf(leadId: string, tier: LeadTier) {
  const lead = pendingLead(leadId);
  (lead.lead.event as { enrichment?: unknown }).enrichment = { tier };
  return lead;
}

describe('ErasureRuntimeModule', () => {
  const account = { key: 'account:acct-1' };
  let metrics: { dailyBudgetShares: jest.Mock; dailyBudgetUsed: jest.Mock; budgetWaited: jest.Mock };
  let recorder: { parked: jest.Mock };
  let pacer: CallPacer;
  let kafka: ReturnType<typeof fakeKafka>;
  let published: jest.Mock;
  let app: INestApplicationContext;

  /** Answers like a CRM whose rate-limit headers say 96 % of the day's calls are used. */
  const eraser: CrmEraser = {
    destination: 'fake',
    erase: async (_command, { budget }) => {
      await budget.acquire();
      budget.report({ daily: { limit: 1_000, remaining: 40 } });
      return { method: 'deleted', counts: { records: 1 } };
    },
    classify: (error) => new ConnectorError('transient', String(error)),
  };

  beforeEach(async () => {
    metrics = { dailyBudgetShares: jest.fn(), dailyBudgetUsed: jest.fn(), budgetWaited: jest.fn() };
    recorder = { parked: jest.fn() };
    pacer = new CallPacer({
      connector: {},
      settings: SCHEDULER_SETTINGS,
      limiter: memoryCallLimiter('fake'),
      metrics,
      logger: silentLogger,
      recorder,
      now: Date.now,
    });
    kafka = fakeKafka();
    published = jest.fn(async () => undefined);
    // What the delivery app exports to the erasure runtime: the Kafka client, the publisher, its runtime.
    const deliveryApp: DynamicModule = {
      module: class DeliveryApp {},
      providers: [
        { provide: KAFKA_CLIENT, useValue: kafka.kafka },
        { provide: EventPublisher, useValue: { publish: published, send: published } },
        { provide: ConnectorRuntime, useValue: { budgets: pacer.budgets } },
      ],
      exports: [KAFKA_CLIENT, EventPublisher, ConnectorRuntime],
    };
    const config = { consumerStall: { CONSUMER_STALL_TIMEOUT_MS: 60_000 } } as ConnectorAppConfig;
    app = await NestFactory.createApplicationContext(
      ErasureRuntimeModule.around(deliveryApp, { eraser, config, logger: pino({ enabled: false }) }),
      { logger: false },
    );
    await app.init();
  });

  afterEach(() => app.close());

  it("feeds the deliveries' daily usage metric and throttle from the answers of erasure calls", async () => {
    await kafka.deliver({
      erasure_id: 'e-1',
      destination: 'fake',
      account_id: 'acct-1',
      records: [{ lead_id: 'lead-1', crm_record_id: '101' }],
      requested_at: '2026-12-05T12:00:00.000Z',
    });

    // The runner hands the batch off and returns to kafkajs: the outcome follows.
    await expectEventually(() =>
      expect(published).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ erasure_id: 'e-1', outcome: 'erased' }),
        { accountId: 'acct-1' },
      ),
    );
    expect(metrics.dailyBudgetUsed).toHaveBeenCalledWith(account.key, 0.96);
    const [warm, hot] = [leadOf('warm', 'warm'), leadOf('hot', 'hot')];
    expect(pacer.deferUnlessHot(account, [warm, hot])).toEqual([hot]);
    expect(recorder.parked).toHaveBeenCalledWith(warm, SCHEDULER_SETTINGS.parkDelayMaxMs, {
      kind: 'daily_budget',
      reason: expect.stringContaining('of its daily limit'),
    });
  });
});
