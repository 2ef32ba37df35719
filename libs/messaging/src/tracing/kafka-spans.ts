import { HEADERS } from '@lead-delivery/contracts';
import {
  ROOT_CONTEXT,
  SpanKind,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { childTraceparent, type DecodedHeaders } from '../cloud-events';
import type { ConsumedRecord } from '../consumer/consumed-record';
import type { OutgoingRecord } from '../producer/event-publisher';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_SYSTEM_VALUE_KAFKA,
} from './kafka-semconv';
import { LEAD_SPAN_ATTRIBUTES, errorTypeOf, spanFailed } from './lead-span-attributes';

// Spans of Kafka sends and of record processing, after the OpenTelemetry messaging conventions. The
// trace context travels in the records' W3C `traceparent` header. With no tracer provider registered the
// API is a no-op: spans are non-recording, and each hop still gets a `traceparent` of the same trace.

const tracer = trace.getTracer('@lead-delivery/messaging');
const processContexts = new WeakMap<ConsumedRecord, Context>();

/** The trace context a record was sent in: its `traceparent` header. */
function sentContext(headers: DecodedHeaders): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/**
 * The producer span of one record: child of the active span (the HTTP request or the record being
 * processed), else of the context named by the record's `traceparent` (an outbox row relayed later).
 */
export function startSendSpan(record: OutgoingRecord): Span {
  const parent = trace.getActiveSpan() ? context.active() : sentContext(record.headers);
  const span = tracer.startSpan(`send ${record.topic}`, { kind: SpanKind.PRODUCER }, parent);
  if (span.isRecording()) {
    span.setAttributes({
      [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
      [ATTR_MESSAGING_OPERATION_TYPE]: 'send',
      [ATTR_MESSAGING_OPERATION_NAME]: 'send',
      [ATTR_MESSAGING_DESTINATION_NAME]: record.topic,
      [ATTR_MESSAGING_KAFKA_MESSAGE_KEY]: record.key,
      ...leadAttributes(record.headers),
    });
  }
  return span;
}

/**
 * The headers a record is sent with: its `traceparent` names the send span, or, with tracing off, a new
 * span id in the trace of the `traceparent` it was given (a new trace when it had none).
 */
export function sendHeaders(headers: DecodedHeaders, span: Span): DecodedHeaders {
  const { [HEADERS.traceparent]: cause, ...sent } = headers;
  if (isSpanContextValid(span.spanContext())) propagation.inject(trace.setSpan(ROOT_CONTEXT, span), sent);
  sent[HEADERS.traceparent] ??= childTraceparent(cause);
  return sent;
}

/**
 * The consumer span of processing one record (`process <topic>`), child of the context it was sent in.
 * Until it ends, `withRecordContext(record, …)` makes it the parent of what is sent for the record.
 */
export function startProcessSpan(record: ConsumedRecord, group: string): Span {
  const span = tracer.startSpan(
    `process ${record.topic}`,
    { kind: SpanKind.CONSUMER },
    sentContext(record.headers),
  );
  if (!isSpanContextValid(span.spanContext())) return span; // tracing off
  if (span.isRecording()) {
    span.setAttributes({
      [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
      [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
      [ATTR_MESSAGING_OPERATION_NAME]: 'process',
      [ATTR_MESSAGING_DESTINATION_NAME]: record.topic,
      [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(record.partition),
      [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: group,
      [ATTR_MESSAGING_KAFKA_OFFSET]: Number(record.offset),
      ...(record.key !== null ? { [ATTR_MESSAGING_KAFKA_MESSAGE_KEY]: record.key } : {}),
      ...leadAttributes(record.headers),
    });
  }
  processContexts.set(record, trace.setSpan(ROOT_CONTEXT, span));
  return span;
}

/** Runs `work` with the record's process span active (as is when tracing is off or it has none). */
export function withRecordContext<T>(record: ConsumedRecord, work: () => T): T {
  const recordContext = processContexts.get(record);
  return recordContext ? context.with(recordContext, work) : work();
}

/** The span context of the record's process span, e.g. to link to it from a span about several records. */
export function recordSpanContext(record: ConsumedRecord): SpanContext | undefined {
  const recordContext = processContexts.get(record);
  return recordContext ? trace.getSpanContext(recordContext) : undefined;
}

/**
 * Runs a handler call on a batch of records with a process span per record (the conventions' choice for
 * a batch whose records are handled each on their own); they end with the call, failed if it throws.
 */
export async function traceRecords<T>(
  records: ConsumedRecord[],
  group: string,
  handle: () => Promise<T>,
): Promise<T> {
  const spans = records.map((record) => startProcessSpan(record, group));
  try {
    return await handle();
  } catch (error) {
    for (const span of spans) spanFailed(span, errorTypeOf(error));
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

function leadAttributes(headers: DecodedHeaders) {
  const messageId = headers[HEADERS.ceId];
  const accountId = headers[HEADERS.accountId];
  return {
    ...(messageId ? { [ATTR_MESSAGING_MESSAGE_ID]: messageId } : {}),
    ...(accountId ? { [LEAD_SPAN_ATTRIBUTES.accountId]: accountId } : {}),
  };
}
