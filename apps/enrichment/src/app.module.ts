import {
  KafkaConsumerHealth,
  KafkaConsumerStallHealth,
  KafkaHealthCheck,
  MessagingModule,
} from '@lead-delivery/messaging';
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
import type { EnrichmentAppConfig } from './app.config';
import { EnrichmentMetrics } from './enrichment/enrichment.metrics';
import { ENRICHMENT_SETTINGS, LeadReceivedConsumer } from './enrichment/lead-received.consumer';

@Module({})
export class AppModule {
  static register(config: EnrichmentAppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ logger, registry: createMetricsRegistry('enrichment') }),
        MessagingModule.forRoot({
          clientId: 'enrichment',
          source: '/enrichment',
          config: config.kafka,
          logger,
        }),
      ],
      controllers: [HealthController, MetricsController, LeadReceivedConsumer],
      providers: [
        {
          provide: ENRICHMENT_SETTINGS,
          useValue: { scoringModel: config.scoringModel, routingRules: config.routingRules },
        },
        {
          provide: EnrichmentMetrics,
          useFactory: (registry: Registry) => new EnrichmentMetrics(registry),
          inject: [METRICS_REGISTRY],
        },
        {
          provide: READINESS_CHECKS,
          useFactory: (kafka: KafkaHealthCheck, consumerProgress: KafkaConsumerStallHealth) => [
            kafka,
            consumerProgress,
          ],
          inject: [KafkaHealthCheck, KafkaConsumerStallHealth],
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
