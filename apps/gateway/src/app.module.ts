import { DatabaseConfig } from '@lead-delivery/config';
import { MessagingModule } from '@lead-delivery/messaging';
import {
  HealthController,
  LIVENESS_CHECKS,
  MetricsController,
  ObservabilityModule,
  READINESS_CHECKS,
  createMetricsRegistry,
} from '@lead-delivery/observability';
import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import type { Account } from './accounts/account';
import { AccountDirectory } from './accounts/account-directory';
import { GatewayConfig, type GatewayAppConfig } from './app.config';
import { ApiKeyCheck } from './intake/api-key.check';
import { DurableIntake } from './intake/durable-intake.service';
import { HttpExchangeMiddleware } from './intake/http-exchange.middleware';
import { HttpMetricsMiddleware } from './intake/http-metrics.middleware';
import { IntakeReadinessCheck } from './intake/intake-readiness.check';
import { LeadDeliveryController } from './intake/lead-delivery.controller';
import { LeadIntakeMiddleware } from './intake/lead-intake.middleware';
import { LeadIntakeService } from './intake/lead-intake.service';
import { RateLimitCheck } from './intake/rate-limit.check';
import { RequestBodyReader } from './intake/request-body.reader';
import { RequestLogMiddleware } from './intake/request-log.middleware';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxStore } from './outbox/outbox-store';
import { ProblemDetailsFilter } from './problems/problem-details.filter';

@Module({})
export class AppModule implements NestModule {
  static register(config: GatewayAppConfig, accounts: Account[], logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({
          logger,
          registry: createMetricsRegistry('gateway'),
          requestLog: 'app',
        }),
        MessagingModule.forRoot({
          clientId: 'gateway',
          source: '/gateway',
          config: config.kafka,
          logger,
          // Bounded: a lead Kafka does not take in time goes to the outbox instead.
          producerRetry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
        }),
      ],
      controllers: [LeadDeliveryController, HealthController, MetricsController],
      providers: [
        { provide: GatewayConfig, useValue: config.gateway },
        { provide: DatabaseConfig, useValue: config.database },
        { provide: AccountDirectory, useValue: new AccountDirectory(accounts) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        GatewayMetrics,
        OutboxStore,
        OutboxRelay,
        DurableIntake,
        LeadIntakeService,
        ApiKeyCheck,
        RateLimitCheck,
        RequestBodyReader,
        RequestLogMiddleware,
        HttpMetricsMiddleware,
        IntakeReadinessCheck,
        {
          provide: READINESS_CHECKS,
          useFactory: (intake: IntakeReadinessCheck) => [intake],
          inject: [IntakeReadinessCheck],
        },
        { provide: LIVENESS_CHECKS, useValue: [] },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpExchangeMiddleware).forRoutes('*');
    consumer.apply(LeadIntakeMiddleware).forRoutes({ path: 'lead-delivery', method: RequestMethod.POST });
  }
}
