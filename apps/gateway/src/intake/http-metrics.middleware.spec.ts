import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';

function exchange(method: string, url: string) {
  const request = { method, url, originalUrl: url } as IncomingMessage & { originalUrl: string };
  const response = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as ServerResponse;
  return { request, response };
}

async function series(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  return (metric?.values ?? []) as {
    metricName?: string;
    labels: Record<string, string | number>;
    value: number;
  }[];
}

describe('HttpMetricsMiddleware', () => {
  let registry: Registry;
  let middleware: HttpMetricsMiddleware;

  beforeEach(() => {
    registry = new Registry();
    middleware = new HttpMetricsMiddleware(new GatewayMetrics(registry));
  });

  it('counts each response and records its duration by route, method and status', async () => {
    const { request, response } = exchange('POST', '/lead-delivery?trace=1');
    const next = jest.fn();
    middleware.use(request, response, next);
    expect(next).toHaveBeenCalledTimes(1);
    response.statusCode = 202;
    response.emit('finish');

    const labels = { route: '/lead-delivery', method: 'POST', status: '202' };
    expect(await series(registry, 'http_requests_total')).toEqual([
      expect.objectContaining({ labels, value: 1 }),
    ]);
    const duration = await series(registry, 'http_request_duration_seconds');
    expect(duration.find((value) => value.metricName === 'http_request_duration_seconds_count')).toEqual(
      expect.objectContaining({ labels, value: 1 }),
    );
    const sum = duration.find((value) => value.metricName === 'http_request_duration_seconds_sum');
    expect(sum?.labels).toEqual(labels);
    expect(sum?.value).toBeGreaterThanOrEqual(0);
    expect(
      duration
        .filter((value) => value.metricName === 'http_request_duration_seconds_bucket')
        .map((value) => value.labels['le']),
    ).toContain('+Inf');
  });

  it('records nothing until the response is finished', async () => {
    const { request, response } = exchange('POST', '/lead-delivery');
    middleware.use(request, response, jest.fn());
    expect(await series(registry, 'http_requests_total')).toEqual([]);
    expect(await series(registry, 'http_request_duration_seconds')).toEqual([]);
  });

  it('puts every unknown path under one route label, so that scanners cannot grow the series', async () => {
    for (const path of ['/wp-login.php', '/.env', '/lead-delivery/../admin']) {
      const { request, response } = exchange('GET', path);
      middleware.use(request, response, jest.fn());
      response.statusCode = 404;
      response.emit('finish');
    }
    const counts = (await series(registry, 'http_request_duration_seconds')).filter(
      (value) => value.metricName === 'http_request_duration_seconds_count',
    );
    expect(counts).toEqual([
      expect.objectContaining({ labels: { route: 'other', method: 'GET', status: '404' }, value: 3 }),
    ]);
  });
});
