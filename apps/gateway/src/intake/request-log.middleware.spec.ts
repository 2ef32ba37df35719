import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { RequestLogMiddleware, requestIdOf } from './request-log.middleware';

function exchange(url: string, headers: Record<string, string> = {}) {
  const request = { method: 'POST', url, originalUrl: url, headers } as unknown as IncomingMessage;
  const responseHeaders: Record<string, string> = {};
  const response = Object.assign(new EventEmitter(), {
    statusCode: 200,
    setHeader: (name: string, value: string) => (responseHeaders[name] = value),
  }) as unknown as ServerResponse;
  return { request, response, responseHeaders };
}

function capturedLogger(level: pino.Level) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { middleware: new RequestLogMiddleware(logger), lines };
}

function answer(middleware: RequestLogMiddleware, url: string, status: number, headers = {}) {
  const { request, response, responseHeaders } = exchange(url, headers);
  const next = jest.fn();
  middleware.use(request, response, next);
  expect(next).toHaveBeenCalledTimes(1);
  response.statusCode = status;
  response.emit('finish');
  return { request, responseHeaders };
}

describe('RequestLogMiddleware', () => {
  it("keeps the caller's x-request-id, answers it and logs it with the request's outcome", () => {
    const { middleware, lines } = capturedLogger('info');
    const { request, responseHeaders } = answer(middleware, '/lead-delivery?x=1', 422, {
      'x-request-id': 'caller-1',
    });
    expect(requestIdOf(request)).toBe('caller-1');
    expect(responseHeaders['x-request-id']).toBe('caller-1');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        reqId: 'caller-1',
        method: 'POST',
        path: '/lead-delivery',
        status: 422,
        msg: 'request completed',
      }),
    ]);
  });

  it('gives a request without an id (or with an overlong one) a new UUID', () => {
    const { middleware } = capturedLogger('info');
    const { request, responseHeaders } = answer(middleware, '/lead-delivery', 200, {
      'x-request-id': 'x'.repeat(129),
    });
    expect(requestIdOf(request)).toMatch(/^[0-9a-f-]{36}$/);
    expect(responseHeaders['x-request-id']).toBe(requestIdOf(request));
  });

  it('logs 5xx at error, successes only at debug, and never the probes or metrics', () => {
    const { middleware, lines } = capturedLogger('info');
    answer(middleware, '/lead-delivery', 200);
    answer(middleware, '/lead-delivery', 503);
    answer(middleware, '/health/ready', 503);
    expect(lines).toEqual([expect.objectContaining({ level: 50, status: 503, msg: 'request errored' })]);

    const debug = capturedLogger('debug');
    answer(debug.middleware, '/lead-delivery', 200);
    expect(debug.lines).toEqual([expect.objectContaining({ level: 20, status: 200 })]);
  });
});
