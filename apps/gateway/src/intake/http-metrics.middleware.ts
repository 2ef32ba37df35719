import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayMetrics } from '../metrics/gateway-metrics';

const ROUTES = ['/lead-delivery', '/health/live', '/health/ready', '/metrics'];

/**
 * Counts every response and records its duration by route, method and status (unknown paths share one
 * label, to bound the series).
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(private readonly metrics: GatewayMetrics) {}

  use(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void {
    const endTimer = this.metrics.httpRequestDuration.startTimer();
    // Both Express and Fastify's middleware layer rewrite `url` relative to the mount point.
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0] ?? '';
    const route = ROUTES.includes(path) ? path : 'other';
    response.once('finish', () => {
      const labels = { route, method: request.method ?? 'UNKNOWN', status: String(response.statusCode) };
      this.metrics.httpRequests.inc(labels);
      endTimer(labels);
    });
    next();
  }
}
