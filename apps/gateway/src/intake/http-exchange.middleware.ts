import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { RequestLogMiddleware } from './request-log.middleware';

/**
 * Request id and log line, then HTTP metrics, as one framework middleware layer for every route: under Nest
 * each layer costs a route match, a proxy closure and a promise per request.
 */
@Injectable()
export class HttpExchangeMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(
    private readonly requestLog: RequestLogMiddleware,
    private readonly httpMetrics: HttpMetricsMiddleware,
  ) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    this.requestLog.use(request, response, () => this.httpMetrics.use(request, response, next));
  }
}
