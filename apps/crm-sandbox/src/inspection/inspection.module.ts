import { Global, Module, type DynamicModule } from '@nestjs/common';
import { InspectionController } from './inspection.controller';
import { MetricsController } from './metrics.controller';
import { RecordsController } from './records.controller';
import { REQUEST_LOG_LIMIT, RequestLog } from './request-log.service';
import { SandboxCrmViews } from './sandbox-crm-views';
import { SandboxStores } from './sandbox-stores';

/** The request log, record inspection, each CRM's view, reset, and Prometheus metrics. */
@Global()
@Module({})
export class InspectionModule {
  static register(requestLogLimit: number): DynamicModule {
    return {
      module: InspectionModule,
      controllers: [InspectionController, RecordsController, MetricsController],
      providers: [
        { provide: REQUEST_LOG_LIMIT, useValue: requestLogLimit },
        RequestLog,
        SandboxStores,
        SandboxCrmViews,
      ],
      exports: [RequestLog, SandboxCrmViews],
    };
  }
}
