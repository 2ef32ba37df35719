import { HEADERS } from '@lead-delivery/contracts';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ConsumedRecord } from '../consumer/consumed-record';
import { sendHeaders, startSendSpan, traceRecords, withRecordContext } from './kafka-spans';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const UPSTREAM_SPAN = '00f067aa0ba902b7';
const upstream = `00-${TRACE_ID}-${UPSTREAM_SPAN}-01`;

const consumed = (headers: Record<string, string>): ConsumedRecord => ({
  topic: 'leads.received.v1',
  partition: 2,
  offset: '41',
  key: 'lead-1',
  value: Buffer.from('{}'),
  headers: { [HEADERS.accountId]: 'acct-1', [HEADERS.ceId]: 'event-1', ...headers },
  timestamp: '0',
});
const outgoing = (headers: Record<string, string> = {}) => ({
  topic: 'leads.enriched.v1',
  key: 'lead-1',
  value: '{}',
  headers,
});
const parts = (traceparent: string | undefined) => traceparent?.split('-') ?? [];

describe('Kafka spans with tracing off (no provider registered)', () => {
  it('still gives each hop a traceparent: a new span id in the same trace, or a new trace', () => {
    const span = startSendSpan(outgoing({ [HEADERS.traceparent]: upstream }));
    const [, traceId, spanId] = parts(
      sendHeaders({ [HEADERS.traceparent]: upstream }, span)[HEADERS.traceparent],
    );
    expect(traceId).toBe(TRACE_ID);
    expect(spanId).not.toBe(UPSTREAM_SPAN);
    expect(sendHeaders({}, startSendSpan(outgoing()))[HEADERS.traceparent]).toMatch(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
    );
  });

  it('runs handlers as they are', async () => {
    const record = consumed({ [HEADERS.traceparent]: upstream });
    await expect(traceRecords([record], 'enrichment', async () => 'done')).resolves.toBe('done');
    expect(withRecordContext(record, () => trace.getActiveSpan())).toBeUndefined();
  });
});

describe('Kafka spans with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const finished = (name: string) => exporter.getFinishedSpans().find((span) => span.name === name);

  it('processes a record in a consumer span, child of the one that sent it, and sends on it', async () => {
    const record = consumed({ [HEADERS.traceparent]: upstream });
    let sent: Record<string, string> = {};
    await traceRecords([record], 'enrichment', async () => {
      withRecordContext(record, () => {
        const span = startSendSpan(outgoing({ [HEADERS.traceparent]: upstream }));
        sent = sendHeaders({ [HEADERS.traceparent]: upstream }, span);
        span.end();
      });
    });

    const process = finished('process leads.received.v1');
    const send = finished('send leads.enriched.v1');
    expect(process?.spanContext().traceId).toBe(TRACE_ID);
    expect(process?.parentSpanContext?.spanId).toBe(UPSTREAM_SPAN);
    expect(process?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'enrichment',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 41,
      'messaging.message.id': 'event-1',
      'lead_delivery.account_id': 'acct-1',
    });
    expect(send?.parentSpanContext?.spanId).toBe(process?.spanContext().spanId);
    expect(sent[HEADERS.traceparent]).toBe(`00-${TRACE_ID}-${send?.spanContext().spanId}-01`);
  });

  it('sends a record relayed later (no active span) as a child of the context it was created in', () => {
    const span = startSendSpan(outgoing({ [HEADERS.traceparent]: upstream }));
    span.end();
    expect(finished('send leads.enriched.v1')?.parentSpanContext?.spanId).toBe(UPSTREAM_SPAN);
  });

  it('marks every record span of a failed handler call with the error type, never its message', async () => {
    const records = [consumed({ [HEADERS.traceparent]: upstream }), consumed({})];
    const failure = new TypeError('jane@example.com is not a lead');
    await expect(traceRecords(records, 'persistence', () => Promise.reject(failure))).rejects.toBe(failure);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.status.code).toBe(2);
      expect(span.attributes['error.type']).toBe('TypeError');
      expect(JSON.stringify([span.attributes, span.events, span.status])).not.toContain('jane@');
    }
  });
});
