import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  REDACTED,
  httpClientInstrumentation,
  withoutQueryValues,
  type HttpClientInstrumentation,
} from './http-client-spans';

describe('httpClientInstrumentation', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let instrumentation: HttpClientInstrumentation;
  let server: Server;
  let origin: string;
  const traceparents: (string | undefined)[] = [];

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    instrumentation = httpClientInstrumentation();
    server = createServer((request, response) => {
      traceparents.push(request.headers.traceparent as string | undefined);
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    exporter.reset();
    traceparents.length = 0;
  });

  afterAll(async () => {
    instrumentation.disable();
    await new Promise((resolve) => server.close(resolve));
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  const tracer = () => trace.getTracer('test');

  it('makes each fetch a client span, child of the active span, without query values', async () => {
    const parent = tracer().startSpan('deliver hubspot', { kind: SpanKind.CLIENT });
    const query = 'q=SELECT+Id+FROM+Lead+WHERE+Email%3D%27jane%40example.com%27&limit=1&q=%2B15125550100';
    await context.with(trace.setSpan(context.active(), parent), async () => {
      const response = await fetch(`${origin}/services/data/v62.0/query?${query}`);
      expect(response.status).toBe(204);
    });
    parent.end();

    const [span] = exporter.getFinishedSpans().filter((finished) => finished.name === 'GET');
    expect(span?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 204,
      'url.path': '/services/data/v62.0/query',
      'url.full': `${origin}/services/data/v62.0/query?q=${REDACTED}&limit=${REDACTED}&q=${REDACTED}`,
      'url.query': `q=${REDACTED}&limit=${REDACTED}&q=${REDACTED}`,
    });
    const values = Object.values(span?.attributes ?? {}).map(String);
    expect(values.filter((value) => /jane|example\.com|5125550100|SELECT/i.test(value))).toEqual([]);
  });

  it('makes no span for a fetch outside a trace', async () => {
    await fetch(`${origin}/health?email=jane%40example.com`);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  /** A node:http GET, its answer read (the connectors' CRM calls, the HubSpot SDK on its agent). */
  const nodeGet = (url: string) =>
    new Promise<number>((resolve, reject) => {
      httpRequest(url, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });

  it('makes each node:http request a client span, child of the active span, and carries its trace context', async () => {
    const parent = tracer().startSpan('deliver salesforce', { kind: SpanKind.CLIENT });
    await context.with(trace.setSpan(context.active(), parent), async () => {
      expect(await nodeGet(`${origin}/services/data/v62.0/query?q=jane%40example.com`)).toBe(204);
    });
    parent.end();

    const [span] = exporter.getFinishedSpans().filter((finished) => finished.name === 'GET');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(span?.attributes).toEqual({
      'http.request.method': 'GET',
      'http.response.status_code': 204,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(origin).port),
      'url.scheme': 'http',
      'url.path': '/services/data/v62.0/query',
      'url.full': `${origin}/services/data/v62.0/query?q=${REDACTED}`,
      'url.query': `q=${REDACTED}`,
    });
    expect(traceparents).toEqual([`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`]);
  });

  it('ends a node:http request that gets no answer as a failed span', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const parent = tracer().startSpan('deliver salesforce');
    await context.with(trace.setSpan(context.active(), parent), () =>
      expect(nodeGet(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' }),
    );
    parent.end();

    const [span] = exporter.getFinishedSpans().filter((finished) => finished.name === 'GET');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('ECONNREFUSED');
  });

  it('makes no span for a node:http request outside a trace', async () => {
    await nodeGet(`${origin}/health`);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(traceparents).toEqual([undefined]);
  });
});

describe('withoutQueryValues', () => {
  it.each([
    ['https://crm.example/a/b', 'https://crm.example/a/b'],
    ['https://crm.example/a?email=jane%40example.com', `https://crm.example/a?email=${REDACTED}`],
    [
      'https://crm.example/a?flag&x=1&x=2',
      `https://crm.example/a?flag=${REDACTED}&x=${REDACTED}&x=${REDACTED}`,
    ],
  ])('%s -> %s', (url, redacted) => {
    expect(withoutQueryValues(new URL(url)).href).toBe(redacted);
  });
});
