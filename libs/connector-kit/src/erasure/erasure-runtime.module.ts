import { EventPublisher, KAFKA_CLIENT } from '@lead-delivery/messaging';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ConnectorAppConfig } from '../config/connector-kit.config';
import type { KafkaClient } from '../intake/kafka-types';
import { ConnectorRuntime } from '../runtime/connector-runtime';
import type { CrmEraser } from './crm-eraser';
import { ErasureRuntime } from './erasure-runtime';

/**
 * A connector app that also erases: the delivery app (`app`, which brings the global Kafka client and
 * publisher, and the delivery runtime) plus the erasure runtime, which starts after it and stops before the
 * producer is flushed. Erasures draw on the deliveries' own call budgets (shared by every replica), so the
 * answers of their calls feed the daily usage metric and throttle like those of deliveries.
 */
@Module({})
export class ErasureRuntimeModule {
  static around(
    app: DynamicModule,
    { eraser, config, logger }: { eraser: CrmEraser; config: ConnectorAppConfig; logger: Logger },
  ): DynamicModule {
    return {
      module: ErasureRuntimeModule,
      imports: [app],
      providers: [
        {
          provide: ErasureRuntime,
          useFactory: (kafka: KafkaClient, publisher: EventPublisher, delivery: ConnectorRuntime) =>
            new ErasureRuntime({
              eraser,
              kafka,
              publisher,
              logger,
              budgets: delivery.budgets,
              stallTimeoutMs: config.consumerStall.CONSUMER_STALL_TIMEOUT_MS,
            }),
          inject: [KAFKA_CLIENT, EventPublisher, ConnectorRuntime],
        },
      ],
    };
  }
}
