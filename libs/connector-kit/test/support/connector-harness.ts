import {
  LEAD_DELIVERY_V1,
  LEAD_ENRICHED_V1,
  type LeadDeliveryV1,
  type LeadEnrichedV1,
} from '@lead-delivery/contracts';
import { cloudEventHeaders } from '@lead-delivery/messaging';
import {
  TopicRecorder,
  anEnhancedLead,
  createTopic,
  skipExistingRecords,
  testBrokers,
  testDatabaseUrl,
  testKafka,
  uniqueName,
  type RecordedMessage,
} from '@lead-delivery/testing';
import type { INestApplication } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import {
  ConnectorRuntime,
  createConnectorApp,
  createConnectorLogger,
  loadConnectorConfig,
  type ConnectorLimits,
} from '../../src';
import { FakeCrmConnector } from './fake-crm.connector';

export const FAST_LIMITS: ConnectorLimits = {
  maxBatchSize: 50,
  callsPerWindow: 2_000,
  callWindowMs: 1_000,
};

/** An enriched lead of `accountId`, routed to `destinations`. */
export function anEnrichedLead(accountId: string, destinations: string[]): LeadEnrichedV1 {
  const lead = anEnhancedLead();
  return {
    lead,
    kind: 'enhanced',
    enrichment: {
      score: 81,
      tier: 'hot',
      reasons: [{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }],
      model_version: 'test-1',
      person_key: lead.contact.email.toLowerCase(),
      normalized: { email: lead.contact.email.toLowerCase() },
    },
    routing: { account_id: accountId, destinations },
  };
}

/**
 * One connector group on the real broker: a fresh destination id (so its group, retry and DLQ topics are
 * its own), the fake CRM behind it, and a recorder of what the group writes.
 */
export class ConnectorHarness {
  readonly kafka: Kafka;
  readonly destination = uniqueName('fake');
  readonly group = `connector-${this.destination}`;
  readonly retryTopic = `${LEAD_ENRICHED_V1.topic}.retry.${this.group}`;
  readonly dlqTopic = `${LEAD_ENRICHED_V1.topic}.dlq.${this.group}`;
  readonly crm: FakeCrmConnector;
  readonly apps: INestApplication[] = [];
  private producer: Producer | undefined;
  private recorder: TopicRecorder | undefined;

  constructor(limits: ConnectorLimits = FAST_LIMITS) {
    this.kafka = testKafka(this.group);
    this.crm = new FakeCrmConnector(this.destination, limits);
  }

  async setUp(): Promise<this> {
    await createTopic(this.kafka, this.retryTopic, 3);
    await createTopic(this.kafka, this.dlqTopic, 1);
    await skipExistingRecords(this.kafka, this.group, [LEAD_ENRICHED_V1.topic]);
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    this.recorder = await new TopicRecorder(this.kafka).start(
      LEAD_DELIVERY_V1.topic,
      this.retryTopic,
      this.dlqTopic,
    );
    return this;
  }

  /** Starts a connector app (consuming once this resolves); `env` overrides the kit's settings. */
  async startApp(env: Record<string, string> = {}): Promise<INestApplication> {
    const config = loadConnectorConfig(
      {},
      {
        KAFKA_BROKERS: testBrokers().join(','),
        CONNECTOR_DATABASE_URL: testDatabaseUrl(),
        CONNECTOR_LEDGER_ROLLOUT_MARGIN_MS: '0',
        LOG_LEVEL: 'error',
        ...env,
      },
    );
    const logger = createConnectorLogger(this.group, config.logging);
    const app = await createConnectorApp({ connector: this.crm, config, logger });
    this.apps.push(app);
    await app.init();
    return app;
  }

  runtime(app: INestApplication): ConnectorRuntime {
    return app.get(ConnectorRuntime);
  }

  /** Produces leads to `leads.enriched.v1`, as enrichment would, optionally into chosen partitions. */
  async produce(leads: LeadEnrichedV1[], partitionOf?: (index: number) => number): Promise<void> {
    const messages = leads.map((lead, index) => ({
      key: lead.lead.lead_id,
      value: JSON.stringify(lead),
      headers: cloudEventHeaders(LEAD_ENRICHED_V1, lead, '/enrichment', {
        accountId: lead.routing.account_id,
        leadKind: lead.kind,
      }),
      ...(partitionOf ? { partition: partitionOf(index) } : {}),
    }));
    await this.producer?.send({ topic: LEAD_ENRICHED_V1.topic, acks: -1, messages });
  }

  /** Delivery events this destination published, decoded. */
  deliveryEvents(): LeadDeliveryV1[] {
    return this.records(LEAD_DELIVERY_V1.topic)
      .map((record) => JSON.parse(record.value ?? '{}') as LeadDeliveryV1)
      .filter((event) => event.destination === this.destination);
  }

  records(topic: string): RecordedMessage[] {
    return this.recorder?.records.filter((record) => record.topic === topic) ?? [];
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.close()));
    await this.recorder?.stop();
    await this.producer?.disconnect();
  }
}
