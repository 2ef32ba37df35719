import { ConfigError } from '@lead-delivery/config';
import type { INestApplication } from '@nestjs/common';
import { NestFactory, type AbstractHttpAdapter } from '@nestjs/core';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { HttpConfig } from '../observability.config';

/** Loads configuration; on a ConfigError prints every problem and exits with EX_CONFIG (78). */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

/**
 * Creates a Nest app the same way in every service: pino as its logger, and shutdown hooks so SIGTERM
 * stops intake, lets in-flight work finish and disconnects (the modules' lifecycle hooks do the work).
 * Used by main.ts and by integration tests, which then call `app.init()` instead of `listen`. Express
 * unless another adapter is given: passed, not left to @nestjs/core to load by name, so every bundle
 * requires it and an image built with `requiredDependenciesOnly` installs it (tools/build/app-image.int-spec.ts).
 */
export async function createServiceApp(
  module: unknown,
  { adapter, bodyParser = true }: { adapter?: AbstractHttpAdapter; bodyParser?: boolean } = {},
): Promise<INestApplication> {
  // Imported only when no adapter is given: the gateway's Fastify keeps Express out of its module graph.
  const http = adapter ?? withoutPoweredBy(new (await import('@nestjs/platform-express')).ExpressAdapter());
  // No forceCloseConnections: it would cut in-flight requests; Node's server.close() (since 19) closes idle
  // keep-alive connections and waits for the active ones.
  const app = await NestFactory.create(module as never, http, { bufferLogs: true, bodyParser });
  app.useLogger(app.get(NestPinoLogger));
  app.flushLogs();
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/** Express announces itself in an `X-Powered-By` header on every answer; no client needs to know. */
export function withoutPoweredBy<T extends AbstractHttpAdapter>(adapter: T): T {
  (adapter.getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  return adapter;
}

/**
 * Starts the microservices (Kafka consumers) and the HTTP listener of a service, and bounds shutdown:
 * if in-flight work has not finished SHUTDOWN_TIMEOUT_MS after a signal, the process exits anyway.
 */
export async function startService(
  app: INestApplication,
  { logger, http }: { logger: Logger; http: HttpConfig },
): Promise<void> {
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: intake stops, in-flight work finishes');
      setTimeout(() => {
        logger.error({ timeoutMs: http.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline passed; exiting');
        process.exit(1);
      }, http.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
  // Modules first (producers connect in onModuleInit), then consumers, then the HTTP listener.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(http.PORT, http.HOST);
  logger.info({ port: http.PORT }, 'ready');
}
