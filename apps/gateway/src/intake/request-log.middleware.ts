import { LOGGER } from '@lead-delivery/observability';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';
import { UuidSequence } from './uuid-sequence';

const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);
const requestIds = new WeakMap<IncomingMessage, string>();
const newRequestIds = new UuidSequence();

/** The request id RequestLogMiddleware gave a request (the caller's `x-request-id`, else a new UUID). */
export function requestIdOf(request: IncomingMessage): string | undefined {
  return requestIds.get(request);
}

/**
 * Request ids and one log line per request, with the root logger: no child logger and no request-scoped
 * context per request (pino-http's cost). Successes are logged at debug, since the intake logs each lead
 * with what matters; 4xx at info, 5xx at error. Probes and metrics are not logged.
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  use(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void {
    const header = request.headers['x-request-id'];
    const id = typeof header === 'string' && header.length <= 128 ? header : newRequestIds.next();
    requestIds.set(request, id);
    response.setHeader('x-request-id', id);
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0] ?? '';
    if (QUIET_ROUTES.has(path)) return next();
    const started = performance.now();
    response.once('finish', () => {
      const status = response.statusCode;
      const level: Level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
      if (!this.logger.isLevelEnabled(level)) return;
      this.logger[level](
        {
          reqId: id,
          method: request.method,
          path,
          status,
          responseTimeMs: Math.round(performance.now() - started),
        },
        status >= 500 ? 'request errored' : 'request completed',
      );
    });
    next();
  }
}
