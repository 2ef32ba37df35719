import {
  HEADERS,
  LEAD_DELIVERY_V1,
  LEAD_ENRICHED_V1,
  dlqTopicOf,
  retryTopicOf,
  type LeadDeliveryV1,
  type LeadEnrichedV1,
} from '@lead-delivery/contracts';
import type { INestApplication } from '@nestjs/common';
import { expectEventually } from './expect-eventually';
import { TopicRecorder, skipExistingRecords, testBrokers, testKafka, type RecordedMessage } from './kafka';
import { testDatabaseUrl } from './postgres';

/** The lead ids of enriched events, in their order. */
export const leadIdsOf = (events: { lead: { lead_id: string } }[]) =>
  events.map((event) => event.lead.lead_id);

export interface ConnectorUnderTest {
  /** The connector's destination, e.g. `salesforce`. */
  destination: string;
  /** Its consumer group, from CONSUMER_GROUPS. */
  group: string;
  /** Creates the connector app (not listening yet) from env, as its main.ts would. */
  createApp(env: Record<string, string>): Promise<INestApplication>;
}

/**
 * A connector app on the real broker, as deployed (in its own consumer group), fed with enriched
 * events the way enrichment publishes them, and a recorder of what it writes back.
 */
export class ConnectorTestBed {
  readonly group: string;
  readonly kafka: ReturnType<typeof testKafka>;
  readonly topics: { main: string; retry: string; dlq: string };
  private readonly producer;
  private readonly recorder;
  private readonly apps: INestApplication[] = [];

  constructor(private readonly connector: ConnectorUnderTest) {
    this.group = connector.group;
    this.kafka = testKafka(`${this.group}-test`);
    this.topics = {
      main: LEAD_ENRICHED_V1.topic,
      retry: retryTopicOf(LEAD_ENRICHED_V1.topic, this.group),
      dlq: dlqTopicOf(LEAD_ENRICHED_V1.topic, this.group),
    };
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    this.recorder = new TopicRecorder(this.kafka);
  }

  async setUp(): Promise<this> {
    await this.producer.connect();
    await this.recorder.start(LEAD_DELIVERY_V1.topic, this.topics.dlq);
    return this;
  }

  /** Moves the group past what earlier tests left on its topics (call while no app runs). */
  async skipExisting(): Promise<void> {
    // The group refuses new offsets while it has members: an app of the spec file before may still be leaving.
    await expectEventually(
      () => skipExistingRecords(this.kafka, this.group, [this.topics.main, this.topics.retry]),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  }

  /** Starts the app: consuming, and serving /metrics on a free port. */
  async startApp(env: Record<string, string>): Promise<INestApplication> {
    const app = await this.connector.createApp({
      KAFKA_BROKERS: testBrokers().join(','),
      CONNECTOR_DATABASE_URL: testDatabaseUrl(),
      // The test database's ledger is minutes old: leads of the tests are not from before it.
      CONNECTOR_LEDGER_ROLLOUT_MARGIN_MS: '0',
      LOG_LEVEL: 'error',
      ...env,
    });
    this.apps.push(app);
    await app.listen(0, '127.0.0.1');
    return app;
  }

  async metrics(app: INestApplication): Promise<string> {
    return (await fetch(`${await app.getUrl()}/metrics`)).text();
  }

  async produce(events: LeadEnrichedV1[]): Promise<void> {
    await this.producer.send({
      topic: this.topics.main,
      acks: -1,
      messages: events.map((event) => ({
        key: event.lead.lead_id,
        value: JSON.stringify(event),
        headers: { [HEADERS.accountId]: event.routing.account_id, [HEADERS.leadKind]: event.kind },
      })),
    });
  }

  /** Delivery events of these leads, in the order they were published. */
  deliveryEvents(leadIds: string[]): LeadDeliveryV1[] {
    const wanted = new Set(leadIds);
    return this.recorder.records
      .filter((record) => record.topic === LEAD_DELIVERY_V1.topic)
      .map((record) => JSON.parse(record.value ?? '{}') as LeadDeliveryV1)
      .filter((event) => event.destination === this.connector.destination && wanted.has(event.lead_id));
  }

  delivered(leadIds: string[]): LeadDeliveryV1[] {
    return this.deliveryEvents(leadIds).filter((event) => event.outcome === 'delivered');
  }

  deadLetters(leadIds: string[]): RecordedMessage[] {
    const wanted = new Set(leadIds);
    return this.recorder.records.filter(
      (record) => record.topic === this.topics.dlq && record.key !== null && wanted.has(record.key),
    );
  }

  async stopApps(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((app) => app.close()));
  }

  async tearDown(): Promise<void> {
    await this.stopApps();
    await this.recorder.stop();
    await this.producer.disconnect();
  }
}
