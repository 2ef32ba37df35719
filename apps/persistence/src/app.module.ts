import {
  EventPublisher,
  KafkaConsumerHealth,
  KafkaConsumerStallHealth,
  KafkaHealthCheck,
  MessagingModule,
  createKafkaClient,
} from '@lead-delivery/messaging';
import {
  HealthController,
  LIVENESS_CHECKS,
  MetricsController,
  ObservabilityModule,
  READINESS_CHECKS,
  createMetricsRegistry,
} from '@lead-delivery/observability';
import { DlqStore } from '@lead-delivery/dead-letters';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PersistenceConfig, type PersistenceAppConfig } from './app.config';
import { DatabaseModule } from './database/database.module';
import { PostgresHealthCheck } from './database/postgres.health';
import { LeadDeliveryConsumer } from './ingest/lead-delivery.consumer';
import { LeadEnrichedConsumer } from './ingest/lead-enriched.consumer';
import { LeadHistoryWriter } from './ingest/lead-history.writer';
import { LeadReceivedConsumer } from './ingest/lead-received.consumer';
import { PersistenceMetrics } from './persistence.metrics';
import { Clock, SystemClock } from './privacy/clock';
import { CrmErasureOutcomeConsumer } from './privacy/crm-erasure-outcome.consumer';
import { CrmErasureOutcomes } from './privacy/crm-erasure-outcomes';
import { CrmErasureRequester } from './privacy/crm-erasure.requester';
import { ErasureStore } from './privacy/erasure-store';
import { ErasureWorker } from './privacy/erasure.worker';
import { IdentityHasher } from './privacy/identity-hasher';
import { IdentitySuppression } from './privacy/identity-suppression';
import { SuppressionAnnouncer } from './privacy/suppression-announcer';
import { DeadLettersService } from './read-api/dead-letters/dead-letters.service';
import { CrmRecordLinks } from './read-api/leads/crm-record-links';
import { READ_API_OPTIONS, ReadApiServer, type ReadApiOptions } from './read-api/read-api.server';
import { RetentionJob } from './retention/retention.job';

@Module({})
export class AppModule {
  static register(config: PersistenceAppConfig, logger: Logger): DynamicModule {
    const readApi: ReadApiOptions = {
      port: config.persistence.READ_API_PORT,
      host: config.http.HOST,
      operatorTokens: config.persistence.OPERATOR_TOKENS,
      phoneDefaultCountry: config.persistence.PHONE_DEFAULT_COUNTRY,
      consoleDir: config.persistence.CONSOLE_DIR,
      crmRecordLinks: new CrmRecordLinks(config.persistence.CRM_RECORD_LINKS),
      deadLetters: new DeadLettersService(
        new DlqStore(createKafkaClient(config.kafka, 'persistence-dead-letters', logger)),
      ),
      logger,
    };
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ logger, registry: createMetricsRegistry('persistence') }),
        // The producer dead-letters records that can never be stored and asks connectors for CRM erasures.
        MessagingModule.forRoot({
          clientId: 'persistence',
          source: '/persistence',
          config: config.kafka,
          logger,
        }),
        DatabaseModule.forRoot({
          database: config.database,
          migrateOnStart: config.persistence.DATABASE_MIGRATE_ON_START,
          statementTimeoutMs: config.persistence.DATABASE_STATEMENT_TIMEOUT_MS,
          logger,
        }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        LeadReceivedConsumer,
        LeadEnrichedConsumer,
        LeadDeliveryConsumer,
        CrmErasureOutcomeConsumer,
      ],
      providers: [
        { provide: PersistenceConfig, useValue: config.persistence },
        { provide: READ_API_OPTIONS, useValue: readApi },
        PersistenceMetrics,
        LeadHistoryWriter,
        {
          provide: IdentitySuppression,
          useValue: new IdentitySuppression(
            new IdentityHasher(config.persistence.ERASURE_HASH_KEY),
            config.persistence.ERASURE_SUPPRESSION_DAYS,
            config.persistence.PHONE_DEFAULT_COUNTRY,
          ),
        },
        { provide: Clock, useClass: SystemClock },
        RetentionJob,
        {
          provide: ErasureStore,
          useFactory: (dataSource: DataSource) =>
            new ErasureStore(
              dataSource,
              new IdentityHasher(config.persistence.ERASURE_HASH_KEY),
              config.persistence.ERASURE_IDEMPOTENCY_WINDOW_HOURS,
            ),
          inject: [DataSource],
        },
        {
          provide: ErasureWorker,
          useFactory: (dataSource: DataSource, metrics: PersistenceMetrics, publisher: EventPublisher) =>
            new ErasureWorker(
              dataSource,
              metrics,
              logger,
              {
                pollIntervalMs: config.persistence.ERASURE_POLL_INTERVAL_MS,
                retryMaxDelayMs: config.persistence.ERASURE_RETRY_MAX_DELAY_MS,
              },
              new CrmErasureRequester(
                dataSource,
                publisher,
                config.persistence.ERASURE_CRM_REREQUEST_AFTER_MS,
              ),
              new SuppressionAnnouncer(publisher, config.persistence.ERASURE_SUPPRESSION_DAYS),
            ),
          inject: [DataSource, PersistenceMetrics, EventPublisher],
        },
        {
          provide: CrmErasureOutcomes,
          useFactory: (dataSource: DataSource) => new CrmErasureOutcomes(dataSource),
          inject: [DataSource],
        },
        ReadApiServer,
        {
          provide: READINESS_CHECKS,
          useFactory: (
            kafka: KafkaHealthCheck,
            postgres: PostgresHealthCheck,
            consumerProgress: KafkaConsumerStallHealth,
          ) => [kafka, postgres, consumerProgress],
          inject: [KafkaHealthCheck, PostgresHealthCheck, KafkaConsumerStallHealth],
        },
        {
          provide: LIVENESS_CHECKS,
          useFactory: (consumer: KafkaConsumerHealth) => [consumer],
          inject: [KafkaConsumerHealth],
        },
      ],
    };
  }
}
