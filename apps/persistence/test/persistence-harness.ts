import {
  CONSUMER_GROUPS,
  LEAD_DELIVERY_V1,
  LEAD_ENRICHED_V1,
  LEAD_RECEIVED_V1,
  TOPICS,
  type DeliveryOutcome,
  type EnhancedLead,
  type LeadDeliveryV1,
  type LeadEnrichedV1,
  type LeadReceivedV1,
  type LeadTier,
} from '@lead-delivery/contracts';
import { EventPublisher, IdempotentProducer, type EventEnvelope } from '@lead-delivery/messaging';
import {
  committedOffsets,
  createTestDatabase,
  expectEventually,
  skipExistingRecords,
  testKafka,
  type TestDatabase,
} from '@lead-delivery/testing';
import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import pino, { type Logger } from 'pino';
import { Writable } from 'node:stream';
import { loadPersistenceConfig } from '../src/app.config';
import { createPersistenceApp } from '../src/create-app';
import { sha256Of } from '../src/read-api/http/operator-tokens';
import { ReadApiServer } from '../src/read-api/read-api.server';

/** A read-API answer; bodies are asserted on field by field, so they are left untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiResponse = { status: number; body: any; headers: Headers };
/** A database row as pg returns it; also asserted on field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DbRow = Record<string, any>;

/** May read and erase. */
export const OPERATOR_TOKEN = 'integration-operator-token-0123456789';
/** May only read. */
export const READ_ONLY_TOKEN = 'integration-read-only-token-0123456789';
/** The read API's operator tokens in the tests, as OPERATOR_TOKENS holds them. */
export const OPERATOR_TOKENS = JSON.stringify([
  { name: 'privacy-desk', sha256: sha256Of(OPERATOR_TOKEN).toString('hex'), scopes: ['read', 'erase'] },
  { name: 'dashboard', sha256: sha256Of(READ_ONLY_TOKEN).toString('hex'), scopes: ['read'] },
]);
export const ERASURE_HASH_KEY = 'integration-erasure-hash-key-0123456789';
export const LEAD_TOPICS = [TOPICS.leadReceived, TOPICS.leadEnriched, TOPICS.leadDelivery];

/** Every line the service logged, as text: tests assert that no personal data is in it. */
export class CapturedLogs {
  readonly lines: string[] = [];
  readonly logger: Logger = pino(
    { level: 'info' },
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );

  get text(): string {
    return this.lines.join('');
  }
}

/**
 * The real service (consumer group `persistence`, read API, retention job) on a throwaway database,
 * consuming only what the suite produces, plus a producer, a database client and helpers.
 */
export class PersistenceHarness {
  readonly kafka: Kafka = testKafka('persistence-int');
  readonly logs = new CapturedLogs();
  app!: INestApplication;
  database!: TestDatabase;
  db!: Client;
  publisher!: EventPublisher;
  private producer!: IdempotentProducer;

  async start(env: Record<string, string> = {}): Promise<this> {
    this.database = await createTestDatabase('ld_persistence');
    await skipExistingRecords(this.kafka, CONSUMER_GROUPS.persistence, LEAD_TOPICS);
    this.producer = new IdempotentProducer(this.kafka);
    await this.producer.connect();
    this.publisher = new EventPublisher(this.producer, { source: '/persistence-test' });
    await this.startApp(env);
    this.db = await this.connect();
    return this;
  }

  async startApp(env: Record<string, string> = {}): Promise<void> {
    const config = loadPersistenceConfig({
      ...process.env,
      DATABASE_URL: this.database.url,
      OPERATOR_TOKENS,
      ERASURE_HASH_KEY,
      ERASURE_POLL_INTERVAL_MS: '200',
      READ_API_PORT: '0',
      HOST: '127.0.0.1',
      CONSUMER_RETRY_MAX_DELAY_MS: '1000',
      ...env,
    });
    this.app = await createPersistenceApp(config, this.logs.logger);
    await this.app.startAllMicroservices();
    await this.app.init();
  }

  async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.database.url });
    // A test's connection cut by the server (a test that failed holding it when the database is dropped)
    // fails its queries; without a listener it would also fail the whole suite with an unhandled 'error'.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.db?.end().catch(() => undefined);
    await this.producer?.disconnect();
    await this.database?.drop();
  }

  get readApiUrl(): string {
    return this.app.get(ReadApiServer).url;
  }

  /** GET on the read API with the operator token. */
  async get(path: string, token: string | null = OPERATOR_TOKEN): Promise<ApiResponse> {
    const response = await fetch(`${this.readApiUrl}${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  async post(path: string, body: unknown, token: string | null = OPERATOR_TOKEN): Promise<ApiResponse> {
    const response = await fetch(`${this.readApiUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  async query<Row = DbRow>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.db.query(sql, params)).rows as Row[];
  }

  /** Waits until the group has committed every record produced so far to the three lead topics. */
  async consumedEverything(timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await Promise.all(LEAD_TOPICS.map((topic) => admin.fetchTopicOffsets(topic)));
      await expectEventually(
        async () => {
          for (const [index, topic] of LEAD_TOPICS.entries()) {
            const committed = await committedOffsets(this.kafka, CONSUMER_GROUPS.persistence, topic);
            const behind = (ends[index] ?? []).filter(
              ({ partition, high }) => (committed[partition] ?? -1) < Number(high),
            );
            expect({ topic, behind }).toEqual({ topic, behind: [] });
          }
        },
        { timeoutMs, intervalMs: 200 },
      );
    } finally {
      await admin.disconnect();
    }
  }

  publishReceived(
    lead: EnhancedLead,
    envelope: Partial<EventEnvelope> = {},
    extra: Partial<LeadReceivedV1> = {},
  ) {
    return this.publisher.publish(LEAD_RECEIVED_V1, receivedEvent(lead, extra), {
      accountId: 'acct-austin',
      ...envelope,
    });
  }

  publishEnriched(
    lead: EnhancedLead,
    options: EnrichmentOptions = {},
    envelope: Partial<EventEnvelope> = {},
  ) {
    return this.publisher.publish(LEAD_ENRICHED_V1, enrichedEvent(lead, options), {
      accountId: options.accountId ?? 'acct-austin',
      ...envelope,
    });
  }

  publishDelivery(lead: EnhancedLead, options: DeliveryOptions, envelope: Partial<EventEnvelope> = {}) {
    return this.publisher.publish(LEAD_DELIVERY_V1, deliveryEvent(lead, options), {
      accountId: options.accountId ?? 'acct-austin',
      ...envelope,
    });
  }
}

export function receivedEvent(lead: EnhancedLead, extra: Partial<LeadReceivedV1> = {}): LeadReceivedV1 {
  return { ...lead, warnings: [], raw: JSON.parse(JSON.stringify(lead)), ...extra };
}

export interface EnrichmentOptions {
  tier?: LeadTier;
  score?: number;
  destinations?: string[];
  accountId?: string;
  personKey?: string;
}

export function enrichedEvent(lead: EnhancedLead, options: EnrichmentOptions = {}): LeadEnrichedV1 {
  const email = lead.contact.email.trim().toLowerCase();
  return {
    lead,
    kind: lead.role || lead.listing_agent || lead.finance_info ? 'enhanced' : 'standard',
    enrichment: {
      score: options.score ?? 71,
      tier: options.tier ?? 'warm',
      reasons: [{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }],
      model_version: 'score-v1',
      person_key: options.personKey ?? email,
      normalized: {
        email,
        phone_e164: '+15125550142',
        first_name: lead.contact.first_name,
        last_name: lead.contact.last_name,
        full_name: [lead.contact.first_name, lead.contact.last_name].filter(Boolean).join(' '),
        city: lead.property?.city,
        state: lead.property?.state,
        zip_code: lead.property?.zip_code,
      },
    },
    routing: {
      account_id: options.accountId ?? 'acct-austin',
      destinations: options.destinations ?? ['hubspot'],
    },
  };
}

export interface DeliveryOptions {
  destination: string;
  outcome: DeliveryOutcome;
  deliveredAt?: Date;
  occurredAt?: Date;
  attempts?: number;
  error?: string;
  accountId?: string;
}

export function deliveryEvent(lead: EnhancedLead, options: DeliveryOptions): LeadDeliveryV1 {
  const occurredAt = options.occurredAt ?? options.deliveredAt ?? new Date();
  return {
    lead_id: lead.lead_id,
    account_id: options.accountId ?? 'acct-austin',
    destination: options.destination,
    outcome: options.outcome,
    crm_record_id: options.outcome === 'delivered' ? `crm-${lead.lead_id}` : null,
    attempts: options.attempts ?? 1,
    error: options.error ?? null,
    lead_timestamp: lead.timestamp,
    delivered_at: options.outcome === 'delivered' ? (options.deliveredAt ?? occurredAt).toISOString() : null,
    occurred_at: occurredAt.toISOString(),
  };
}
