import { loadConfig } from '@lead-delivery/config';
import {
  Module,
  RequestMethod,
  type DynamicModule,
  type INestApplication,
  type LoggerService,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadSandboxConfig, type SandboxAppConfig } from '../app.config';
import { BodyMiddleware } from '../common/body.middleware';
import { CrmExceptionFilter } from '../crm-exception.filter';
import { FaultsModule } from '../faults/faults.module';
import { HealthController, ShutdownState } from '../health/health.controller';
import { createSandboxLogger } from '../sandbox-logger';
import { FollowupbossConfig } from './followupboss.config';
import { FollowupbossModule } from './followupboss.module';

/**
 * The fake Follow Up Boss on its own, with the sandbox's fault injection, body parsing, error filter and
 * health, until the sandbox app loads it from the connector registry: its unit spec and the connector's
 * integration spec run it this way.
 */
@Module({})
export class FollowupbossStandaloneModule implements NestModule {
  static register(sandbox: SandboxAppConfig, followupboss: FollowupbossConfig): DynamicModule {
    return {
      module: FollowupbossStandaloneModule,
      imports: [FaultsModule.register(sandbox), FollowupbossModule.register(followupboss)],
      controllers: [HealthController],
      providers: [ShutdownState],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BodyMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}

export async function createFollowupbossApp(
  env: NodeJS.ProcessEnv,
  logger?: LoggerService,
): Promise<INestApplication> {
  const sandbox = loadSandboxConfig(env);
  const { followupboss } = loadConfig({ followupboss: FollowupbossConfig }, env);
  const log = logger ?? createSandboxLogger(sandbox.sandbox);
  const app = await NestFactory.create(FollowupbossStandaloneModule.register(sandbox, followupboss), {
    bodyParser: false,
    logger: log,
  });
  app.useGlobalFilters(new CrmExceptionFilter(log));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

if (require.main === module) {
  void createFollowupbossApp(process.env).then(async (app) => {
    const { sandbox } = loadSandboxConfig(process.env);
    await app.listen(sandbox.PORT, sandbox.HOST);
  });
}
