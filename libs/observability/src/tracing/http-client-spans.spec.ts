import { SpanKind, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REDACTED, httpClientInstrumentation, withoutQueryValues } from './http-client-spans';

describe('httpClientInstrumentation', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let instrumentation: UndiciInstrumentation;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    instrumentation = httpClientInstrumentation();
    server = createServer((request, response) => response.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => exporter.reset());

  afterAll(async () => {
    instrumentation.disable();
    await new Promise((resolve) => server.close(resolve));
    await provider.shutdown();
    trace.disable();
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
