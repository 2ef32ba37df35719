import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { SandboxAppConfig } from './app.config';
import { AppModule } from './app.module';
import { CrmExceptionFilter } from './crm-exception.filter';

/**
 * The sandbox app, not yet listening: main.ts listens on the configured port, tests on an ephemeral one.
 * Nest's body parser is off: BodyMiddleware parses bodies so that malformed ones get CRM-shaped errors.
 */
export async function createSandboxApp(
  config: SandboxAppConfig,
  logger: LoggerService,
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config), {
    bodyParser: false,
    logger,
  });
  app.useGlobalFilters(new CrmExceptionFilter(logger));
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  closeConnectionsAfterLastAnswer(app.getHttpServer() as Server);
  return app;
}

/**
 * On shutdown the listener stops and idle connections close, but a keep-alive connection whose call was in
 * flight would stay open until its timeout; this closes it as soon as that call is answered.
 */
function closeConnectionsAfterLastAnswer(server: Server): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.once('finish', () => {
      if (!server.listening) req.socket.end();
    });
  });
}
