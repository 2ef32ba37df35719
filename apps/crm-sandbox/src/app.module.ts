import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import type { SandboxAppConfig } from './app.config';
import { BodyMiddleware } from './common/body.middleware';
import { FaultsModule } from './faults/faults.module';
import { HealthController, ShutdownState } from './health/health.controller';
import { HubspotModule } from './hubspot/hubspot.module';
import { InspectionModule } from './inspection/inspection.module';
import { RequestLogMiddleware } from './inspection/request-log.middleware';
import { SalesforceModule } from './salesforce/salesforce.module';
import { SeedModule } from './seed/seed.module';
import { UsageModule } from './usage/usage.module';

@Module({})
export class AppModule implements NestModule {
  static register(config: SandboxAppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        FaultsModule.register(config),
        SalesforceModule.register(config.salesforce, config.sandbox),
        HubspotModule.register(config.hubspot),
        InspectionModule.register(config.sandbox.SANDBOX_REQUEST_LOG_LIMIT),
        UsageModule,
        SeedModule,
      ],
      controllers: [HealthController],
      providers: [ShutdownState],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(RequestLogMiddleware, BodyMiddleware)
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
