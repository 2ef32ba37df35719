import { EventPublisher, KAFKA_CLIENT } from '@lead-delivery/messaging';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { postgresCallLimiter } from '../budget/call-limiter';
import { CredentialBudgets } from '../budget/credential-budgets';
import { deliverySettings, type ConnectorAppConfig } from '../config/connector-kit.config';
import type { CrmConnector } from '../connector/crm-connector';
import type { KafkaClient } from '../intake/kafka-types';
import { ConnectorStore } from '../store/connector-store';
import type { CrmEraser } from './crm-eraser';
import { ErasureRuntime } from './erasure-runtime';

/**
 * A connector app that also erases: the delivery app (`app`, which brings the global Kafka client and
 * publisher, and the connector store) plus the erasure runtime, which starts after it and stops before the
 * producer is flushed. Erasures draw on the same shared call budgets as deliveries (same limiter table and
 * keys, the connector's limits).
 */
@Module({})
export class ErasureRuntimeModule {
  static around(
    app: DynamicModule,
    {
      eraser,
      connector,
      config,
      logger,
    }: {
      eraser: CrmEraser;
      connector: Pick<CrmConnector<unknown>, 'limits'>;
      config: ConnectorAppConfig;
      logger: Logger;
    },
  ): DynamicModule {
    const settings = deliverySettings(connector.limits, config.connector);
    return {
      module: ErasureRuntimeModule,
      imports: [app],
      providers: [
        {
          provide: ErasureRuntime,
          useFactory: async (kafka: KafkaClient, publisher: EventPublisher, store: ConnectorStore) =>
            new ErasureRuntime({
              eraser,
              kafka,
              publisher,
              logger,
              budgets: new CredentialBudgets({
                limiter: postgresCallLimiter(eraser.destination, store.pool),
                settings,
                logger,
                // The deliveries' answers feed the daily usage metric; an erasure's few calls add little.
                onDailyUsage: () => undefined,
              }),
              stallTimeoutMs: config.consumerStall.CONSUMER_STALL_TIMEOUT_MS,
            }),
          inject: [KAFKA_CLIENT, EventPublisher, ConnectorStore],
        },
      ],
    };
  }
}
