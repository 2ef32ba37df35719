import { createServiceApp } from '@lead-delivery/observability';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { Account } from './accounts/account';
import type { GatewayAppConfig } from './app.config';
import { AppModule } from './app.module';

/**
 * The gateway app, not yet listening; main.ts starts it, integration tests `init()` it.
 * The framework's body parsing is off under both adapters: RequestBodyReader reads and limits bodies.
 */
export async function createGatewayApp(
  config: GatewayAppConfig,
  accounts: Account[],
  logger: Logger,
): Promise<INestApplication> {
  const module = AppModule.register(config, accounts, logger);
  if (config.gateway.HTTP_ADAPTER === 'express') {
    // createServiceApp's default, loaded only when chosen: the adapter not in use stays out of the module
    // graph (about 5 MiB).
    return createServiceApp(module, { bodyParser: false });
  }
  const fastify = new FastifyAdapter({ bodyLimit: config.gateway.BODY_LIMIT_BYTES });
  const app = await createServiceApp(module, { adapter: fastify, bodyParser: false });
  const instance = fastify.getInstance();
  instance.removeAllContentTypeParsers();
  // The body was already consumed by RequestBodyReader; Fastify must not try to parse it again.
  instance.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  return app;
}
