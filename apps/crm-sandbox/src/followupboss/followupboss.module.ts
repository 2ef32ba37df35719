import { Global, Module, type DynamicModule } from '@nestjs/common';
import { FollowupbossAdminController } from './followupboss-admin.controller';
import { FollowupbossApiController } from './followupboss-api.controller';
import { FollowupbossApiGuard } from './followupboss-api.guard';
import { FollowupbossSandboxView } from './followupboss-sandbox-view';
import { FollowupbossStore } from './followupboss-store.service';
import { FollowupbossConfig } from './followupboss.config';

/**
 * The fake Follow Up Boss (API under `/v1/`): Basic auth with an account's API key, POST /v1/events
 * merging people by email and phone, the reads the connector makes, sliding 10 s limits per context, the
 * archived-source 204, and the sandbox's fault injection (FaultsModule must be loaded beside it).
 */
@Global()
@Module({})
export class FollowupbossModule {
  static register(config: FollowupbossConfig): DynamicModule {
    return {
      module: FollowupbossModule,
      controllers: [FollowupbossApiController, FollowupbossAdminController],
      providers: [
        { provide: FollowupbossConfig, useValue: config },
        FollowupbossStore,
        FollowupbossApiGuard,
        FollowupbossSandboxView,
      ],
      exports: [FollowupbossStore, FollowupbossSandboxView],
    };
  }
}
