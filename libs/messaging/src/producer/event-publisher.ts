import type { EventDefinition } from '@lead-delivery/contracts';
import type { Span } from '@opentelemetry/api';
import type { Message } from 'kafkajs';
import type { IdempotentProducer } from './idempotent-producer';
import { cloudEventHeaders, type DecodedHeaders, type EventEnvelope } from '../cloud-events';
import { sendHeaders, startSendSpan } from '../tracing/kafka-spans';
import { errorTypeOf, spanFailed } from '../tracing/lead-span-attributes';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string | Buffer;
  headers: DecodedHeaders;
}

export interface EventPublisherOptions {
  /** CloudEvents `source` of everything this publisher sends, e.g. `/gateway`. */
  source: string;
  maxBatchRecords?: number;
  /** Upper bound of one produce request; the broker refuses a partition batch over message.max.bytes (1 MiB). */
  maxBatchBytes?: number;
}

interface Pending {
  record: OutgoingRecord;
  bytes: number;
  span: Span;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Publishes on the idempotent producer, coalescing concurrent sends into one produce request, so that one
 * request in flight does not mean one record per round trip. The first record after a quiet spell waits only
 * for the rest of the event loop's turn (the sends of requests read in the same turn join it); later ones
 * wait for the request in flight. A timer would add a millisecond to the lone lead and batch nothing more.
 */
export class EventPublisher {
  private readonly maxBatchRecords: number;
  private readonly maxBatchBytes: number;
  private queue: Pending[] = [];
  private inFlight: Promise<void> | undefined;
  private sendAtTurnEnd: NodeJS.Immediate | undefined;

  constructor(
    private readonly producer: IdempotentProducer,
    private readonly options: EventPublisherOptions,
  ) {
    this.maxBatchRecords = options.maxBatchRecords ?? 500;
    this.maxBatchBytes = options.maxBatchBytes ?? 512 * 1024;
  }

  /**
   * Resolves once the broker has acknowledged the event (acks=all). `json`: the value already serialised
   * by a caller that needed it (e.g. for an event id), so it is not serialised twice.
   */
  publish<Value>(
    definition: EventDefinition<Value>,
    value: Value,
    envelope: EventEnvelope,
    json = JSON.stringify(value),
  ): Promise<void> {
    return this.send({
      topic: definition.topic,
      key: definition.key(value),
      value: json,
      headers: cloudEventHeaders(definition, value, this.options.source, envelope),
    });
  }

  /**
   * Resolves once the broker has acknowledged the record. Its `traceparent` header, if any, names the
   * context it was created in; it is sent with that of its send span instead (see startSendSpan).
   */
  send(record: OutgoingRecord): Promise<void> {
    const span = startSendSpan(record);
    const traced = { ...record, headers: sendHeaders(record.headers, span) };
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record: traced, bytes: sizeOf(traced), span, resolve, reject });
      this.schedule();
    });
  }

  /** Sends what is queued and waits for every acknowledgement. */
  async flush(): Promise<void> {
    clearImmediate(this.sendAtTurnEnd);
    this.sendAtTurnEnd = undefined;
    while (this.inFlight || this.queue.length > 0) {
      await (this.inFlight ?? this.sendQueued());
    }
  }

  private schedule(): void {
    if (this.inFlight) return; // the request in flight sends the queue when it completes
    if (this.queue.length >= this.maxBatchRecords) {
      clearImmediate(this.sendAtTurnEnd);
      this.sendAtTurnEnd = undefined;
      void this.sendQueued();
    } else if (!this.sendAtTurnEnd) {
      this.sendAtTurnEnd = setImmediate(() => {
        this.sendAtTurnEnd = undefined;
        void this.sendQueued();
      });
    }
  }

  /** How many queued records fit in one request: at least one, at most maxBatchRecords and maxBatchBytes. */
  private batchLength(): number {
    let bytes = 0;
    let length = 0;
    for (const pending of this.queue) {
      bytes += pending.bytes;
      if (length > 0 && (bytes > this.maxBatchBytes || length >= this.maxBatchRecords)) break;
      length += 1;
    }
    return length;
  }

  private sendQueued(): Promise<void> {
    const batch = this.queue.splice(0, this.batchLength());
    if (batch.length === 0) return Promise.resolve();
    this.inFlight = this.producer
      .sendBatch({ acks: -1, topicMessages: groupByTopic(batch) })
      .then(
        () =>
          batch.forEach((pending) => {
            pending.span.end();
            pending.resolve();
          }),
        (error: unknown) =>
          batch.forEach((pending) => {
            spanFailed(pending.span, errorTypeOf(error));
            pending.span.end();
            pending.reject(error);
          }),
      )
      .finally(() => {
        this.inFlight = undefined;
        if (this.queue.length > 0) void this.sendQueued();
      });
    return this.inFlight;
  }
}

function sizeOf({ key, value, headers }: OutgoingRecord): number {
  let bytes = Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : value.length);
  for (const name in headers) bytes += name.length + Buffer.byteLength(headers[name] as string);
  return bytes;
}

function groupByTopic(batch: Pending[]): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const { record } of batch) {
    const messages = byTopic.get(record.topic);
    // The record is the message: kafkajs reads key, value and headers and ignores `topic`.
    if (messages) messages.push(record);
    else byTopic.set(record.topic, [record]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
