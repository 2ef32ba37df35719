import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ShutdownState } from './health/shutdown-state';
import { LOGGER, METRICS_REGISTRY } from './observability.tokens';
import { TracingShutdown } from './tracing/tracing-shutdown';

const QUIET_ROUTES = ['/health/live', '/health/ready', '/metrics'];

export interface ObservabilityOptions {
  logger: Logger;
  registry: Registry;
  /**
   * `pino-http` (the default): a request log with request ids, and a request-scoped PinoLogger.
   * `app`: the app logs its requests itself; nothing runs per request here (pino-http builds a child
   * logger per request: 8 % of the gateway's busy CPU at full load, plus its garbage).
   */
  requestLog?: 'pino-http' | 'app';
}

/**
 * Logging (request log with request ids, PII masked), the metrics registry, the shutdown state, the
 * export of the last spans at shutdown and terminus, for the whole app. Apps declare HealthController and
 * MetricsController themselves and provide READINESS_CHECKS / LIVENESS_CHECKS, so each app's module shows
 * what its probes look at.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot({ logger, registry, requestLog = 'pino-http' }: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }),
        LoggerModule.forRoot({
          // No routes: pino-http is created (it gives Nest's logger its root) but never runs.
          ...(requestLog === 'app' ? { forRoutes: [] } : {}),
          pinoHttp: {
            logger,
            genReqId: (request: IncomingMessage, response: ServerResponse) => {
              const header = request.headers['x-request-id'];
              const id = typeof header === 'string' && header.length <= 128 ? header : randomUUID();
              response.setHeader('x-request-id', id);
              return id;
            },
            autoLogging: { ignore: (request: IncomingMessage) => QUIET_ROUTES.includes(request.url ?? '') },
            // Successes are logged by the services themselves, with what matters (lead id, outcome);
            // a second line per request would double the log volume at intake rates.
            customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
              error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'info' : 'debug',
            quietReqLogger: true,
          },
        }),
      ],
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: METRICS_REGISTRY, useValue: registry },
        ShutdownState,
        TracingShutdown,
      ],
      exports: [LOGGER, METRICS_REGISTRY, ShutdownState, TerminusModule, LoggerModule],
    };
  }
}
