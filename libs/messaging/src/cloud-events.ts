import {
  CLOUDEVENTS_SPEC_VERSION,
  HEADERS,
  JSON_CONTENT_TYPE,
  type EventDefinition,
  type LeadKind,
} from '@lead-delivery/contracts';
import { context, propagation, trace } from '@opentelemetry/api';
import { randomFillSync, randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';

/** What a producer knows about an event beyond its value. */
export interface EventEnvelope {
  accountId: string;
  leadKind?: LeadKind;
  /** W3C trace context of the cause, when no span is active; the send span is its child. */
  traceparent?: string;
  id?: string;
  time?: Date;
}

export type DecodedHeaders = Record<string, string>;

/** The Kafka headers of an event: CloudEvents 1.0 binary mode plus the platform's `x-` headers. */
export function cloudEventHeaders<Value>(
  definition: EventDefinition<Value>,
  value: Value,
  source: string,
  envelope: EventEnvelope,
): DecodedHeaders {
  const headers: DecodedHeaders = {
    [HEADERS.ceSpecVersion]: CLOUDEVENTS_SPEC_VERSION,
    [HEADERS.ceId]: envelope.id ?? randomUUID(),
    [HEADERS.ceType]: definition.type,
    [HEADERS.ceSource]: source,
    [HEADERS.ceTime]: (envelope.time ?? new Date()).toISOString(),
    [HEADERS.ceSubject]: definition.key(value),
    [HEADERS.contentType]: JSON_CONTENT_TYPE,
    [HEADERS.accountId]: envelope.accountId,
  };
  if (envelope.leadKind) headers[HEADERS.leadKind] = envelope.leadKind;
  addCreationContext(headers, envelope);
  return headers;
}

/**
 * The trace context an event is created in: the active span (e.g. the HTTP request of the lead), else the
 * cause the envelope names. EventPublisher.send replaces it with the context of the send.
 */
function addCreationContext(headers: DecodedHeaders, { traceparent }: EventEnvelope): void {
  if (trace.getActiveSpan()) propagation.inject(context.active(), headers);
  if (!headers[HEADERS.traceparent] && traceparent) headers[HEADERS.traceparent] = traceparent;
}

export interface CloudEventAttributes {
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string;
  accountId: string;
  leadKind?: LeadKind;
  traceparent?: string;
}

/** Reads the CloudEvents attributes of a consumed record; throws when a required one is missing. */
export function readCloudEvent(headers: DecodedHeaders): CloudEventAttributes {
  const required = (name: string) => {
    const value = headers[name];
    if (!value) throw new Error(`missing header ${name}`);
    return value;
  };
  const leadKind = headers[HEADERS.leadKind];
  return {
    id: required(HEADERS.ceId),
    type: required(HEADERS.ceType),
    source: required(HEADERS.ceSource),
    time: required(HEADERS.ceTime),
    subject: required(HEADERS.ceSubject),
    accountId: required(HEADERS.accountId),
    ...(leadKind === 'standard' || leadKind === 'enhanced' ? { leadKind } : {}),
    ...(headers[HEADERS.traceparent] ? { traceparent: headers[HEADERS.traceparent] } : {}),
  };
}

export function decodeHeaders(headers: IHeaders | undefined): DecodedHeaders {
  const decoded: DecodedHeaders = {};
  if (!headers) return decoded;
  // for...in rather than Object.entries: no array of pairs per record (3 % of persistence's allocation).
  for (const name in headers) {
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) decoded[name] = first.toString();
  }
  return decoded;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;

// Ids are cut from a pool of random bytes refilled 4 KiB at a time: one hex string allocated per id.
const randomPool = Buffer.alloc(4_096);
let randomPoolOffset = randomPool.length;

function randomHex(bytes: number): string {
  if (randomPoolOffset + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  randomPoolOffset += bytes;
  return randomPool.toString('hex', randomPoolOffset - bytes, randomPoolOffset);
}

/** A new span id in the same trace as `parent`, or a new trace when there is no valid parent. */
export function childTraceparent(parent?: string): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  const traceId = match?.[1] ?? randomHex(16);
  return `00-${traceId}-${randomHex(8)}-${match?.[2] ?? '01'}`;
}
