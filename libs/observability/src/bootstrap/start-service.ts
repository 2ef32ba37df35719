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

export interface StartServiceOptions {
  logger: Logger;
  http: HttpConfig;
  /** Defaults to Express. */
  adapter?: AbstractHttpAdapter;
}

/**
 * Creates and starts a Nest app the same way in every service: pino logger, graceful shutdown on
 * SIGTERM/SIGINT (stop intake, finish in-flight work, disconnect) with a deadline, and the HTTP listener.
 */
export async function startService(
  module: unknown,
  { logger, http, adapter }: StartServiceOptions,
): Promise<INestApplication> {
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });

  const app = adapter
    ? await NestFactory.create(module as never, adapter, { bufferLogs: true, forceCloseConnections: true })
    : await NestFactory.create(module as never, { bufferLogs: true, forceCloseConnections: true });
  app.useLogger(app.get(NestPinoLogger));
  app.flushLogs();
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: intake stops, in-flight work finishes');
      setTimeout(() => {
        logger.error({ timeoutMs: http.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline passed; exiting');
        process.exit(1);
      }, http.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }

  await app.listen(http.PORT, http.HOST);
  logger.info({ port: http.PORT }, 'ready');
  return app;
}
