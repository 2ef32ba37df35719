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
import { InspectionModule } from './inspection/inspection.module';
import { RequestLogMiddleware } from './inspection/request-log.middleware';
import { EMULATED_CRMS, SANDBOX_CRMS, type EmulatedCrm, type SandboxCrm } from './sandbox-crms';
import { SeedModule } from './seed/seed.module';
import { UsageModule } from './usage/usage.module';

@Module({})
export class AppModule implements NestModule {
  static register(config: SandboxAppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        FaultsModule.register(config),
        ...EMULATED_CRMS.map((crm) => crmModule(crm, config)),
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

/** The fake CRM of one registry connector, with its settings. */
function crmModule(id: EmulatedCrm, config: SandboxAppConfig): DynamicModule {
  const crm: SandboxCrm<object> = SANDBOX_CRMS[id];
  return crm.module(config[id], config.sandbox);
}
