import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { Registry } from 'prom-client';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { HttpExchangeMiddleware } from './http-exchange.middleware';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { RequestLogMiddleware, requestIdOf } from './request-log.middleware';

describe('HttpExchangeMiddleware', () => {
  it('gives the request its id, then counts its response, and continues once', async () => {
    const registry = new Registry();
    const middleware = new HttpExchangeMiddleware(
      new RequestLogMiddleware(pino({ level: 'silent' })),
      new HttpMetricsMiddleware(new GatewayMetrics(registry)),
    );
    const request = { method: 'POST', url: '/lead-delivery', headers: {} } as unknown as IncomingMessage;
    const responseHeaders: Record<string, string> = {};
    const response = Object.assign(new EventEmitter(), {
      statusCode: 200,
      setHeader: (name: string, value: string) => (responseHeaders[name] = value),
    }) as unknown as ServerResponse;
    const next = jest.fn();

    middleware.use(request, response, next);
    response.emit('finish');

    expect(next).toHaveBeenCalledTimes(1);
    expect(responseHeaders['x-request-id']).toBe(requestIdOf(request));
    const counted = (await registry.getSingleMetric('http_requests_total')?.get())?.values;
    expect(counted).toEqual([
      expect.objectContaining({
        labels: { route: '/lead-delivery', method: 'POST', status: '200' },
        value: 1,
      }),
    ]);
  });
});
