import {
  CONSUMER_GROUPS,
  LEAD_RECEIVED_V1,
  TOPICS,
  type Lead,
  type LeadEnrichedV1,
} from '@lead-delivery/contracts';
import {
  EventPublisher,
  cloudEventHeaders,
  IdempotentProducer,
  type EventEnvelope,
} from '@lead-delivery/messaging';
import { createLogger } from '@lead-delivery/observability';
import {
  TopicRecorder,
  expectEventually,
  skipExistingRecords,
  testKafka,
  type RecordedMessage,
} from '@lead-delivery/testing';
import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnrichmentConfig } from '../src/app.config';
import { createEnrichmentApp } from '../src/create-app';

export const ROUTING_RULES = {
  default: { always: [] },
  accounts: {
    'acct-austin': {
      always: ['hubspot'],
      rules: [{ when: { tier: ['hot'] }, destinations: ['salesforce'] }],
    },
    'acct-listings': {
      rules: [{ when: { role: ['seller'], state: ['TX'] }, destinations: ['salesforce'] }],
    },
  },
};

export interface SentLead {
  headers: Record<string, string>;
  value: string;
}

/** The enrichment app on the shared topics of a real broker, a producer of received leads, and recorders. */
export class EnrichmentHarness {
  readonly kafka: Kafka = testKafka('enrichment-int');
  app: INestApplication | undefined;
  enriched!: TopicRecorder;
  received!: TopicRecorder;
  deadLetters!: TopicRecorder;
  private producer!: IdempotentProducer;
  private publisher!: EventPublisher;
  private readonly rulesFile: string;

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'enrichment-int-'));
    this.rulesFile = join(dir, 'routing.json');
    writeFileSync(this.rulesFile, JSON.stringify(ROUTING_RULES));
  }

  async start(): Promise<void> {
    this.producer = new IdempotentProducer(this.kafka);
    await this.producer.connect();
    this.publisher = new EventPublisher(this.producer, { source: '/gateway' });
    this.enriched = await new TopicRecorder(this.kafka).start(TOPICS.leadEnriched);
    this.received = await new TopicRecorder(this.kafka).start(TOPICS.leadReceived);
    this.deadLetters = await new TopicRecorder(this.kafka).start('leads.received.v1.dlq.enrichment');
    await skipExistingRecords(this.kafka, CONSUMER_GROUPS.enrichment, [TOPICS.leadReceived]);
    await this.startApp();
  }

  /** Starts the app and its HTTP listener on a free port. */
  async startApp(): Promise<void> {
    const config = loadEnrichmentConfig({
      ...process.env,
      ROUTING_RULES_FILE: this.rulesFile,
      LOG_LEVEL: 'warn',
    });
    const logger = createLogger({ service: 'enrichment', level: 'warn' });
    this.app = await createEnrichmentApp(config, logger);
    await this.app.startAllMicroservices();
    await this.app.listen(0, '127.0.0.1');
  }

  async stopApp(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  async stop(): Promise<void> {
    await this.stopApp();
    await Promise.all([this.enriched?.stop(), this.received?.stop(), this.deadLetters?.stop()]);
    await this.producer?.disconnect();
  }

  url(path: string): string {
    const { port } = this.app?.getHttpServer().address() as AddressInfo;
    return `http://127.0.0.1:${port}${path}`;
  }

  /** Publishes a received lead as the gateway does (value: lead + warnings + raw; CloudEvents headers). */
  async sendLead(
    lead: Lead,
    envelope: EventEnvelope,
    extra: { warnings?: unknown[]; raw?: Record<string, unknown> } = {},
  ): Promise<SentLead> {
    const value = { ...lead, warnings: extra.warnings ?? [], raw: extra.raw ?? { ...lead } };
    const headers = cloudEventHeaders(LEAD_RECEIVED_V1, value as never, '/gateway', envelope);
    return this.sendRecord(lead.lead_id, JSON.stringify(value), headers);
  }

  async sendRecord(key: string, value: string, headers: Record<string, string>): Promise<SentLead> {
    await this.publisher.send({ topic: TOPICS.leadReceived, key, value, headers });
    return { headers, value };
  }

  /** The received-lead record of a lead, once the recorder has read it. */
  async inputOf(leadId: string): Promise<RecordedMessage> {
    return expectEventually(() => {
      const [record] = this.received.withKey(leadId);
      expect(record).toBeDefined();
      return record as RecordedMessage;
    });
  }

  /** Waits until `count` enriched events of the lead are on the topic, and returns them. */
  async enrichedOf(leadId: string, count = 1): Promise<Array<RecordedMessage & { event: LeadEnrichedV1 }>> {
    return expectEventually(() => {
      const records = this.enriched.withKey(leadId);
      expect(records).toHaveLength(count);
      return records.map((record) => ({
        ...record,
        event: JSON.parse(record.value ?? '') as LeadEnrichedV1,
      }));
    });
  }
}
