import { KafkaHealthCheck, MessagingModule } from '@lead-delivery/messaging';
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
import { GatewayConfig, type GatewayAppConfig } from './app.config';

@Module({})
export class AppModule {
  static register(config: GatewayAppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ logger, registry: createMetricsRegistry('gateway') }),
        MessagingModule.forRoot({
          clientId: 'gateway',
          source: '/gateway',
          config: config.kafka,
          logger,
          // Bounded: a lead that Kafka does not take in time goes to the outbox instead.
          producerRetry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: GatewayConfig, useValue: config.gateway },
        {
          provide: READINESS_CHECKS,
          useFactory: (kafka: KafkaHealthCheck) => [kafka],
          inject: [KafkaHealthCheck],
        },
        { provide: LIVENESS_CHECKS, useValue: [] },
      ],
    };
  }
}
