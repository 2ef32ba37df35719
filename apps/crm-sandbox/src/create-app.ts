import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { SandboxAppConfig } from './app.config';
import { AppModule } from './app.module';
import { CrmExceptionFilter } from './crm-exception.filter';

/**
 * The sandbox app, not yet listening: main.ts listens on the configured port, tests on an ephemeral one.
 * Nest's body parser is off: BodyMiddleware parses bodies so that malformed ones get CRM-shaped errors.
 * The Express adapter is passed explicitly: without one @nestjs/core loads `@nestjs/platform-express` by
 * name, a require the bundle never makes, and the image's package.json (`requiredDependenciesOnly` in
 * webpack.config.js) would not list it (tools/build/app-image.int-spec.ts starts the installed image).
 */
export async function createSandboxApp(
  config: SandboxAppConfig,
  logger: LoggerService,
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config), new ExpressAdapter(), {
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
