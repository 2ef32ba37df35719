import {
  KafkaConsumerHealth,
  KafkaConsumerStallHealth,
  KafkaHealthCheck,
  MessagingModule,
} from '@lead-delivery/messaging';
import {
  HealthController,
  LIVENESS_CHECKS,
  MetricsController,
  ObservabilityModule,
  READINESS_CHECKS,
  createMetricsRegistry,
} from '@lead-delivery/observability';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { PersistenceConfig, type PersistenceAppConfig } from './app.config';
import { DatabaseModule } from './database/database.module';
import { PostgresHealthCheck } from './database/postgres.health';
import { LeadDeliveryConsumer } from './ingest/lead-delivery.consumer';
import { LeadEnrichedConsumer } from './ingest/lead-enriched.consumer';
import { LeadHistoryWriter } from './ingest/lead-history.writer';
import { LeadReceivedConsumer } from './ingest/lead-received.consumer';
import { PersistenceMetrics } from './persistence.metrics';
import { READ_API_OPTIONS, ReadApiServer, type ReadApiOptions } from './read-api/read-api.server';
import { RetentionJob } from './retention/retention.job';

@Module({})
export class AppModule {
  static register(config: PersistenceAppConfig, logger: Logger): DynamicModule {
    const readApi: ReadApiOptions = {
      port: config.persistence.READ_API_PORT,
      host: config.http.HOST,
      operatorToken: config.persistence.OPERATOR_TOKEN,
      phoneDefaultCountry: config.persistence.PHONE_DEFAULT_COUNTRY,
      logger,
    };
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ logger, registry: createMetricsRegistry('persistence') }),
        // The producer only dead-letters records that can never be stored.
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
      ],
      providers: [
        { provide: PersistenceConfig, useValue: config.persistence },
        { provide: READ_API_OPTIONS, useValue: readApi },
        PersistenceMetrics,
        LeadHistoryWriter,
        RetentionJob,
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
