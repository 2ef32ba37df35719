import { createServiceApp } from '@lead-delivery/observability';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { GatewayAppConfig } from './app.config';
import { AppModule } from './app.module';

/** The gateway app, not yet listening; main.ts starts it, integration tests `init()` it. */
export function createGatewayApp(config: GatewayAppConfig, logger: Logger): Promise<INestApplication> {
  return createServiceApp(AppModule.register(config, logger));
}
