// kafkajs 2.2.4 (its last release) encodes a produce request level by level: one encoder per record header,
// one per record, then the record batch, the partition, the topic and the request, each a fresh zero-filled
// Buffer that the level above copies in. Those buffers were a third of the gateway's allocation at 1,000
// leads/s. This encodes the same request body into one Buffer sized up front. It covers uncompressed record
// batches whose keys, values and header values are strings or Buffers and whose timestamps are absent or
// integers, which is what every app here sends; anything else goes through kafkajs' own encoder.
// @ts-expect-error kafkajs ships no types for its protocol internals
import produceRequests from 'kafkajs/src/protocol/requests/produce';
// @ts-expect-error kafkajs ships no types for its protocol internals
import crc32C from 'kafkajs/src/protocol/recordBatch/crc32C';
// @ts-expect-error kafkajs ships no types for its protocol internals
import Long from 'kafkajs/src/utils/long';
import {
  NO_COMPRESSION,
  RECORD_BATCH_MAGIC,
  TRANSACTIONAL_FLAG,
  overrideRequestVersions,
  type KafkajsRequestDefinition,
} from '../kafkajs-protocol';

type Bytes = string | Buffer;
type HeaderValue = Bytes | Bytes[];

interface ProduceMessage {
  key?: Bytes | null;
  value: Bytes | null;
  headers?: Record<string, HeaderValue | undefined>;
  timestamp?: number | string | null;
}

interface ProducePartition {
  partition: number;
  firstSequence?: number;
  messages: ProduceMessage[];
}

export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  compression?: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  topicData: { topic: string; partitions: ProducePartition[] }[];
}

/** What kafkajs' request framing reads of an encoded body (`protocol/request.js` copies `buffer`). */
export interface EncodedBody {
  buf: Buffer;
  buffer: Buffer;
}

type KafkajsProduceRequest = { apiVersion: number; encode: () => Promise<unknown> };
type VersionedProduce = (args: ProduceRequestArgs) => { request: KafkajsProduceRequest; response: unknown };
/** attributes, lastOffsetDelta, firstTimestamp, maxTimestamp, producerId, producerEpoch, firstSequence, count */
const BATCH_BODY_FIXED_BYTES = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;
/** partitionLeaderEpoch, magic, crc */
const BATCH_PREFIX_BYTES = 4 + 1 + 4;
/** partition, record set size, firstOffset, batch length */
const PARTITION_FIXED_BYTES = 4 + 4 + 8 + 4;
/** Zigzag varlongs are written with double arithmetic, exact while the zigzag value stays below 2^53. */
const MAX_EXACT_TIMESTAMP_DELTA = 2 ** 51;

/** One record's sizes and values, measured once and written from there. */
interface RecordPlan {
  bodyBytes: number;
  timestampDelta: number;
  key: Bytes | null;
  keyBytes: number;
  value: Bytes | null;
  valueBytes: number;
  headers: { name: string; nameBytes: number; value: Bytes; valueBytes: number }[];
}

interface PartitionPlan {
  partition: number;
  firstSequence: number;
  firstTimestamp: number;
  maxTimestamp: number;
  records: RecordPlan[];
  recordsBytes: number;
}

function zigzag32(value: number): number {
  return (value << 1) ^ (value >> 31);
}

function sizeOfVarInt(value: number): number {
  let rest = zigzag32(value);
  let bytes = 1;
  while ((rest & 0xffffff80) !== 0) {
    bytes += 1;
    rest >>>= 7;
  }
  return bytes;
}

function zigzag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function sizeOfVarLong(value: number): number {
  let rest = zigzag64(value);
  let bytes = 1;
  while (rest >= 0x80) {
    bytes += 1;
    rest = Math.floor(rest / 0x80);
  }
  return bytes;
}

function isBytes(value: unknown): value is Bytes {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function byteLengthOf(value: Bytes | null): number {
  return value === null ? -1 : typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function sizeOfVarIntBytes(byteLength: number): number {
  return byteLength < 0 ? sizeOfVarInt(-1) : sizeOfVarInt(byteLength) + byteLength;
}

/** The record's headers in kafkajs' order (arrays flattened), or undefined when one is not a string or Buffer. */
function planHeaders(headers: ProduceMessage['headers']): RecordPlan['headers'] | undefined {
  const planned: RecordPlan['headers'] = [];
  if (headers === undefined) return planned;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      if (!isBytes(one)) return undefined;
      planned.push({ name, nameBytes: Buffer.byteLength(name), value: one, valueBytes: byteLengthOf(one) });
    }
  }
  return planned;
}

function planPartition(data: ProducePartition): PartitionPlan | undefined {
  const now = Date.now();
  const timestamps: number[] = [];
  for (const message of data.messages) {
    const { timestamp } = message;
    if (timestamp === undefined || timestamp === null) continue;
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) return undefined;
    timestamps.push(timestamp);
  }
  // kafkajs sorts with Array#sort's default (string) order; the same call keeps its first and max.
  const ordered = timestamps.length === 0 ? [now] : timestamps.sort();
  const firstTimestamp = ordered[0];
  const maxTimestamp = ordered[ordered.length - 1];

  const records: RecordPlan[] = [];
  let recordsBytes = 0;
  for (let offsetDelta = 0; offsetDelta < data.messages.length; offsetDelta += 1) {
    const message = data.messages[offsetDelta];
    const key = message.key ?? null;
    const value = message.value ?? null;
    if ((key !== null && !isBytes(key)) || (value !== null && !isBytes(value))) return undefined;
    const headers = planHeaders(message.headers);
    if (headers === undefined) return undefined;
    const timestampDelta = ((message.timestamp as number | null | undefined) || now) - firstTimestamp;
    if (Math.abs(timestampDelta) > MAX_EXACT_TIMESTAMP_DELTA) return undefined;

    const keyBytes = byteLengthOf(key);
    const valueBytes = byteLengthOf(value);
    let bodyBytes =
      1 +
      sizeOfVarLong(timestampDelta) +
      sizeOfVarInt(offsetDelta) +
      sizeOfVarIntBytes(keyBytes) +
      sizeOfVarIntBytes(valueBytes) +
      sizeOfVarInt(headers.length);
    for (const header of headers)
      bodyBytes += sizeOfVarIntBytes(header.nameBytes) + sizeOfVarIntBytes(header.valueBytes);

    records.push({ bodyBytes, timestampDelta, key, keyBytes, value, valueBytes, headers });
    recordsBytes += sizeOfVarInt(bodyBytes) + bodyBytes;
  }
  return {
    partition: data.partition,
    firstSequence: data.firstSequence ?? 0,
    firstTimestamp,
    maxTimestamp,
    records,
    recordsBytes,
  };
}

/** Writes into one preallocated buffer; every size was measured before, so nothing grows or copies. */
class BodyWriter {
  offset = 0;

  constructor(readonly buf: Buffer) {}

  int8(value: number): void {
    this.offset = this.buf.writeInt8(value, this.offset);
  }

  int16(value: number): void {
    this.offset = this.buf.writeInt16BE(value, this.offset);
  }

  int32(value: number): void {
    this.offset = this.buf.writeInt32BE(value, this.offset);
  }

  uint32(value: number): void {
    this.offset = this.buf.writeUInt32BE(value, this.offset);
  }

  /** As kafkajs' writeInt64: any value its Long accepts (number, string, bigint, Long). */
  int64(value: unknown): void {
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      const high = Math.floor(value / 2 ** 32);
      this.int32(high);
      this.uint32(value - high * 2 ** 32);
      return;
    }
    const long = Long.fromValue(value);
    this.int32(long.getHighBits());
    this.int32(long.getLowBits());
  }

  string(value: string | null): void {
    if (value === null) return this.int16(-1);
    this.int16(Buffer.byteLength(value));
    this.offset += this.buf.write(value, this.offset);
  }

  varInt(value: number): void {
    let rest = zigzag32(value);
    while ((rest & 0xffffff80) !== 0) {
      this.buf[this.offset++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.buf[this.offset++] = rest & 0x7f;
  }

  varLong(value: number): void {
    let rest = zigzag64(value);
    while (rest >= 0x80) {
      this.buf[this.offset++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.offset++] = rest;
  }

  varIntBytes(value: Bytes | null, byteLength: number): void {
    this.varInt(byteLength);
    if (value === null) return;
    if (typeof value === 'string') this.offset += this.buf.write(value, this.offset);
    else this.offset += value.copy(this.buf, this.offset);
  }
}

function writeRecordBatch(
  out: BodyWriter,
  plan: PartitionPlan,
  args: { transactional: boolean; producerId: unknown; producerEpoch: number },
): void {
  const batchBytes = BATCH_PREFIX_BYTES + BATCH_BODY_FIXED_BYTES + plan.recordsBytes;
  out.int32(plan.partition);
  out.int32(8 + 4 + batchBytes);
  out.int64(0); // firstOffset: the broker assigns offsets
  out.int32(batchBytes);
  out.int32(0); // partitionLeaderEpoch
  out.int8(RECORD_BATCH_MAGIC);
  const crcAt = out.offset;
  out.uint32(0);
  const bodyStart = out.offset;
  out.int16(NO_COMPRESSION | (args.transactional ? TRANSACTIONAL_FLAG : 0));
  out.int32(plan.records.length - 1);
  out.int64(plan.firstTimestamp);
  out.int64(plan.maxTimestamp);
  out.int64(args.producerId);
  out.int16(args.producerEpoch);
  out.int32(plan.firstSequence);
  out.int32(plan.records.length);
  plan.records.forEach((record, offsetDelta) => {
    out.varInt(record.bodyBytes);
    out.int8(0); // record attributes: none are used
    out.varLong(record.timestampDelta);
    out.varInt(offsetDelta);
    out.varIntBytes(record.key, record.keyBytes);
    out.varIntBytes(record.value, record.valueBytes);
    out.varInt(record.headers.length);
    for (const header of record.headers) {
      out.varIntBytes(header.name, header.nameBytes);
      out.varIntBytes(header.value, header.valueBytes);
    }
  });
  out.buf.writeUInt32BE(crc32C(out.buf.subarray(bodyStart, out.offset)), crcAt);
}

/**
 * The produce request body (versions 3 to 7, which share it) kafkajs would encode for these arguments, in one
 * Buffer; undefined when the request is compressed or a record holds something only kafkajs' encoder handles.
 */
export function encodeProduceRequestBody(args: ProduceRequestArgs): EncodedBody | undefined {
  if ((args.compression ?? NO_COMPRESSION) !== NO_COMPRESSION) return undefined;
  // kafkajs' defaults, which apply to undefined only.
  const transactionalId = args.transactionalId === undefined ? null : args.transactionalId;
  const batchArgs = {
    transactional: Boolean(transactionalId),
    producerId: args.producerId === undefined ? -1 : args.producerId,
    producerEpoch: args.producerEpoch === undefined ? 0 : args.producerEpoch,
  };

  let size = (transactionalId === null ? 2 : 2 + Buffer.byteLength(transactionalId)) + 2 + 4 + 4;
  const topics: { topic: string; partitions: PartitionPlan[] }[] = [];
  for (const { topic, partitions } of args.topicData) {
    const planned: PartitionPlan[] = [];
    for (const data of partitions) {
      const plan = planPartition(data);
      if (plan === undefined) return undefined;
      planned.push(plan);
      size += PARTITION_FIXED_BYTES + BATCH_PREFIX_BYTES + BATCH_BODY_FIXED_BYTES + plan.recordsBytes;
    }
    topics.push({ topic, partitions: planned });
    size += 2 + Buffer.byteLength(topic) + 4;
  }

  const out = new BodyWriter(Buffer.allocUnsafe(size));
  out.string(transactionalId);
  out.int16(args.acks);
  out.int32(args.timeout);
  out.int32(topics.length);
  for (const { topic, partitions } of topics) {
    out.string(topic);
    out.int32(partitions.length);
    for (const plan of partitions) writeRecordBatch(out, plan, batchArgs);
  }
  // allocUnsafe holds whatever the memory held before (other leads' bytes): never send a byte not written.
  if (out.offset !== size) throw new Error(`produce request encoded ${out.offset} of its ${size} bytes`);
  return { buf: out.buf, buffer: out.buf };
}

const FIRST_SHARED_BODY_VERSION = 3;

/** Makes every kafkajs producer in this process encode its produce requests in one pass; idempotent. */
export function useSinglePassProduceEncoding(): void {
  overrideRequestVersions(
    produceRequests as KafkajsRequestDefinition<VersionedProduce>,
    (version) => version >= FIRST_SHARED_BODY_VERSION,
    (kafkajs) => (args) => {
      const built = kafkajs(args);
      const kafkajsEncode = built.request.encode;
      built.request.encode = async () => encodeProduceRequestBody(args) ?? kafkajsEncode();
      return built;
    },
  );
}
