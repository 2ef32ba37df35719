import { EventPublisher, KAFKA_CLIENT, KafkaHealthCheck, MessagingModule } from '@lead-delivery/messaging';
import {
  HealthController,
  LIVENESS_CHECKS,
  METRICS_REGISTRY,
  MetricsController,
  ObservabilityModule,
  READINESS_CHECKS,
  createMetricsRegistry,
} from '@lead-delivery/observability';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { postgresCallLimiter } from '../budget/call-limiter';
import { deliverySettings, type ConnectorAppConfig } from '../config/connector-kit.config';
import type { CrmConnector } from '../connector/crm-connector';
import type { KafkaClient } from '../intake/kafka-types';
import { ConnectorStore, openConnectorStore } from '../store/connector-store';
import { SuppressedIdentities } from '../suppression/suppressed-identities';
import { SuppressionFeed } from '../suppression/suppression-feed';
import { ConnectorRuntime } from './connector-runtime';

export interface ConnectorAppOptions<Mapped> {
  connector: CrmConnector<Mapped>;
  config: ConnectorAppConfig;
  logger: Logger;
}

/**
 * The whole app of a connector: logging, metrics (`/metrics`), health (`/health/live`: the consumer;
 * `/health/ready`: Kafka and partition progress; never the CRM, whose outages pause consumption instead of restarting pods),
 * the Kafka client and publisher, the connector store (PostgreSQL) and the delivery runtime.
 */
@Module({})
export class ConnectorRuntimeModule {
  static forConnector<Mapped>({ connector, config, logger }: ConnectorAppOptions<Mapped>): DynamicModule {
    const suppressionKey = config.suppression.ERASURE_HASH_KEY;
    const service = `connector-${connector.destination}`;
    const settings = deliverySettings(connector.limits, config.connector);
    return {
      module: ConnectorRuntimeModule,
      imports: [
        ObservabilityModule.forRoot({ logger, registry: createMetricsRegistry(service) }),
        MessagingModule.forRoot({ clientId: service, source: `/${service}`, config: config.kafka, logger }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        {
          provide: ConnectorStore,
          useFactory: () => openConnectorStore(config.store, { logger, applicationName: service }),
        },
        {
          provide: ConnectorRuntime,
          useFactory: async (
            kafka: KafkaClient,
            publisher: EventPublisher,
            registry: Registry,
            store: ConnectorStore,
          ) =>
            new ConnectorRuntime({
              connector,
              settings,
              kafka,
              publisher,
              registry,
              logger,
              store,
              ledgerRetentionMs: config.store.CONNECTOR_LEDGER_RETENTION_DAYS * 86_400_000,
              ledgerRolloutMarginMs: config.store.CONNECTOR_LEDGER_ROLLOUT_MARGIN_MS,
              limiter: postgresCallLimiter(connector.destination, store.pool),
              stallTimeoutMs: config.consumerStall.CONSUMER_STALL_TIMEOUT_MS,
              ...(suppressionKey
                ? {
                    suppression: new SuppressionFeed({
                      kafka,
                      group: service,
                      identities: new SuppressedIdentities(suppressionKey),
                      logger,
                    }),
                  }
                : {}),
            }),
          inject: [KAFKA_CLIENT, EventPublisher, METRICS_REGISTRY, ConnectorStore],
        },
        {
          provide: READINESS_CHECKS,
          useFactory: (kafka: KafkaHealthCheck, runtime: ConnectorRuntime) => [kafka, runtime.progress],
          inject: [KafkaHealthCheck, ConnectorRuntime],
        },
        {
          provide: LIVENESS_CHECKS,
          useFactory: (runtime: ConnectorRuntime) => [runtime.liveness],
          inject: [ConnectorRuntime],
        },
      ],
      exports: [ConnectorRuntime], // the erasure runtime draws on the deliveries' call budgets
    };
  }
}
