// kafkajs 2.2.4 (its last release) decodes each fetched record through two Decoder objects, 64-bit
// arithmetic on Long objects for its offset and timestamp, and a header object rebuilt by spreading once
// per header (11 CloudEvents headers: 11 objects copied into one another). This decodes a Fetch v11 response
// into the very same objects in one walk over the bytes. It covers uncompressed record batches (magic 2)
// whose offsets and timestamps are safe integers, which is what the brokers here return; any other response,
// or bytes that do not parse, go to kafkajs' own decoder, so its results and errors stay kafkajs'.
// @ts-expect-error kafkajs ships no types for its protocol internals
import fetchRequests from 'kafkajs/src/protocol/requests/fetch';
import {
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG,
  RECORD_BATCH_MAGIC,
  TIMESTAMP_TYPE_FLAG,
  TRANSACTIONAL_FLAG,
  overrideRequestVersions,
  type KafkajsRequestDefinition,
} from '../kafkajs-protocol';

type Headers = Record<string, Buffer | null | (Buffer | null)[]>;

interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

export interface DecodedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Headers;
  isControlRecord: boolean;
  batchContext: BatchContext;
}

interface DecodedPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  lastStartOffset: string;
  abortedTransactions: { producerId: string; firstOffset: string }[];
  preferredReadReplica: number;
  messages: DecodedRecord[];
}

export interface DecodedFetchResponse {
  throttleTime: 0;
  clientSideThrottleTime: number;
  errorCode: number;
  sessionId: number;
  responses: { topicName: string | null; partitions: DecodedPartition[] }[];
}

type Response = { decode: (rawData: Buffer) => Promise<unknown>; parse: (data: unknown) => Promise<unknown> };
type VersionedFetch = (args: unknown) => { request: unknown; response: Response };

const DECODED_VERSION = 11;
/** kafkajs reads the magic byte at this offset of a partition's record set, whatever its format. */
const MAGIC_OFFSET = 16;
/** kafkajs decodes a record batch only while at least this many bytes are left. */
const RECORD_BATCH_OVERHEAD = 49;
const LOG_APPEND_TIME = 1;
const CREATE_TIME = 0;
/** Varlongs of up to 7 bytes (49 bits) decode exactly with double arithmetic. */
const MAX_EXACT_VARLONG_BYTES = 7;

/** Thrown where kafkajs would read something else than this decoder does: the response goes to kafkajs. */
class NotCovered extends Error {}

/** A read position over one buffer; every read is bounds-checked against `end`. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public offset: number,
    readonly end: number,
  ) {}

  private take(bytes: number): number {
    const at = this.offset;
    if (bytes < 0 || at + bytes > this.end) throw new NotCovered();
    this.offset = at + bytes;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.take(1));
  }

  int16(): number {
    return this.buf.readInt16BE(this.take(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.take(4));
  }

  int64(): string {
    return this.buf.readBigInt64BE(this.take(8)).toString();
  }

  /** An int64 kafkajs turns into a string and later adds to: kept as a number when exact. */
  safeInt64(): number {
    const value = Number(this.buf.readBigInt64BE(this.take(8)));
    if (!Number.isSafeInteger(value)) throw new NotCovered();
    return value;
  }

  string(): string | null {
    const length = this.int16();
    if (length === -1) return null;
    const at = this.take(length);
    return this.buf.toString('utf8', at, at + length);
  }

  /** As kafkajs' readVarInt: zigzag LEB128 with its 32-bit shifts. */
  varInt(): number {
    let byte: number;
    let result = 0;
    let shift = 0;
    do {
      if (this.offset >= this.end || shift > 28) throw new NotCovered();
      byte = this.buf[this.offset++];
      result += (byte & 0x7f) << shift;
      shift += 7;
    } while (byte >= 0x80);
    return (result >>> 1) ^ -(result & 1);
  }

  varLong(): number {
    let byte: number;
    let result = 0;
    let bytes = 0;
    do {
      if (this.offset >= this.end || bytes === MAX_EXACT_VARLONG_BYTES) throw new NotCovered();
      byte = this.buf[this.offset++];
      result += (byte & 0x7f) * 2 ** (7 * bytes);
      bytes += 1;
    } while (byte >= 0x80);
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }

  /** Length-prefixed bytes as kafkajs' readVarIntBytes: null for -1, else a view of the fetched buffer. */
  varIntBytes(): Buffer | null {
    const length = this.varInt();
    if (length === -1) return null;
    const at = this.take(length);
    return this.buf.subarray(at, at + length);
  }

  /** A header name (varint length, UTF-8), through the cache of the names the previous record used. */
  headerName(names: HeaderNames, index: number): string | null {
    const length = this.varInt();
    if (length === -1) return null;
    return names.at(index, this.take(length), length);
  }
}

/**
 * Every record of a topic carries the same header names in the same order. The string decoded for the previous
 * record's name at the same place is reused when the bytes are equal: no UTF-8 decoding, and V8 finds the
 * property key it already knows instead of hashing a new string.
 */
class HeaderNames {
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly names: string[] = [];

  constructor(private readonly buf: Buffer) {}

  at(index: number, start: number, length: number): string {
    if (this.lengths[index] === length && this.sameBytes(this.starts[index], start, length))
      return this.names[index];
    const name = this.buf.toString('utf8', start, start + length);
    this.starts[index] = start;
    this.lengths[index] = length;
    this.names[index] = name;
    return name;
  }

  private sameBytes(a: number, b: number, length: number): boolean {
    for (let i = 0; i < length; i += 1) if (this.buf[a + i] !== this.buf[b + i]) return false;
    return true;
  }
}

/**
 * kafkajs builds the headers by spreading `{ ...obj, [key]: value }`: a repeated name collects its values in an
 * array, the lookup goes through the object's prototype, and even `__proto__` becomes an own property.
 */
function addHeader(headers: Headers, key: string, value: Buffer | null): void {
  const existing: unknown = headers[key];
  const next =
    existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  if (key === '__proto__') {
    Object.defineProperty(headers, key, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    headers[key] = next as Headers[string];
  }
}

function decodeRecord(
  reader: Reader,
  batch: BatchContext,
  firstOffset: number,
  firstTimestamp: number,
  names: HeaderNames,
): DecodedRecord {
  const attributes = reader.int8();
  const timestampDelta = reader.varLong();
  const offsetDelta = reader.varInt();
  const offset = firstOffset + offsetDelta;
  const timestamp = firstTimestamp + timestampDelta;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(timestamp)) throw new NotCovered();
  const key = reader.varIntBytes();
  const value = reader.varIntBytes();
  const headerCount = reader.varInt();
  const headers: Headers = {};
  for (let i = 0; i < headerCount; i += 1) {
    const name = reader.headerName(names, i);
    addHeader(headers, String(name), reader.varIntBytes());
  }
  return {
    magicByte: batch.magicByte,
    attributes,
    timestamp:
      batch.timestampType === LOG_APPEND_TIME && batch.maxTimestamp ? batch.maxTimestamp : String(timestamp),
    offset: String(offset),
    key,
    value,
    headers,
    isControlRecord: batch.isControlBatch,
    batchContext: batch,
  };
}

/** One record batch; false when it is cut off at the end of the fetch (kafkajs stops there too). */
function decodeRecordBatch(reader: Reader, records: DecodedRecord[], names: HeaderNames): boolean {
  const firstOffset = reader.safeInt64();
  const length = reader.int32();
  const batchStart = reader.offset;
  if (length < 0) throw new NotCovered();
  if (batchStart + length > reader.end) return false;
  const batchReader = new Reader(reader.buf, batchStart, batchStart + length);
  reader.offset = batchStart + length;

  const partitionLeaderEpoch = batchReader.int32();
  const magicByte = batchReader.int8();
  batchReader.int32(); // the CRC, which kafkajs does not check either
  const attributes = batchReader.int16();
  if ((attributes & COMPRESSION_CODEC_MASK) !== 0) throw new NotCovered();
  const lastOffsetDelta = batchReader.int32();
  const firstTimestamp = batchReader.safeInt64();
  const maxTimestamp = batchReader.int64();
  const batch: BatchContext = {
    firstOffset: String(firstOffset),
    firstTimestamp: String(firstTimestamp),
    partitionLeaderEpoch,
    inTransaction: (attributes & TRANSACTIONAL_FLAG) > 0,
    isControlBatch: (attributes & CONTROL_FLAG) > 0,
    lastOffsetDelta,
    producerId: batchReader.int64(),
    producerEpoch: batchReader.int16(),
    firstSequence: batchReader.int32(),
    maxTimestamp,
    timestampType: (attributes & TIMESTAMP_TYPE_FLAG) > 0 ? LOG_APPEND_TIME : CREATE_TIME,
    magicByte,
  };
  const count = readCount(batchReader);
  for (let i = 0; i < count; i += 1) {
    const recordLength = batchReader.varInt();
    const recordStart = batchReader.offset;
    if (recordLength < 0 || recordStart + recordLength > batchReader.end) throw new NotCovered();
    records.push(
      decodeRecord(
        new Reader(reader.buf, recordStart, recordStart + recordLength),
        batch,
        firstOffset,
        firstTimestamp,
        names,
      ),
    );
    batchReader.offset = recordStart + recordLength;
  }
  return true;
}

function decodeRecordSet(reader: Reader): DecodedRecord[] {
  const size = reader.int32();
  if (size <= 0 || reader.offset + size > reader.end) return []; // kafkajs neither reads nor skips it
  const start = reader.offset;
  reader.offset += size;
  if (size <= MAGIC_OFFSET || reader.buf.readInt8(start + MAGIC_OFFSET) !== RECORD_BATCH_MAGIC)
    throw new NotCovered();
  const records: DecodedRecord[] = [];
  const batches = new Reader(reader.buf, start, start + size);
  const names = new HeaderNames(reader.buf);
  while (batches.end - batches.offset >= RECORD_BATCH_OVERHEAD && decodeRecordBatch(batches, records, names));
  return records;
}

function decodePartition(reader: Reader): DecodedPartition {
  const partition = reader.int32();
  const errorCode = reader.int16();
  const highWatermark = reader.int64();
  const lastStableOffset = reader.int64();
  const lastStartOffset = reader.int64();
  const abortedCount = readCount(reader);
  const abortedTransactions: DecodedPartition['abortedTransactions'] = [];
  for (let i = 0; i < abortedCount; i += 1)
    abortedTransactions.push({ producerId: reader.int64(), firstOffset: reader.int64() });
  const preferredReadReplica = reader.int32();
  return {
    partition,
    errorCode,
    highWatermark,
    lastStableOffset,
    lastStartOffset,
    abortedTransactions,
    preferredReadReplica,
    messages: decodeRecordSet(reader),
  };
}

/** kafkajs' arrays: an int32 count, -1 for an empty one (a lower count throws there). */
function readCount(reader: Reader): number {
  const count = reader.int32();
  if (count < -1) throw new NotCovered();
  return count;
}

function readArray<T>(reader: Reader, readOne: (reader: Reader) => T): T[] {
  const count = readCount(reader);
  const items: T[] = [];
  for (let i = 0; i < count; i += 1) items.push(readOne(reader));
  return items;
}

/**
 * The Fetch v11 response kafkajs would decode from these bytes, or undefined when it holds something only
 * kafkajs' decoder handles (compressed or legacy record sets, offsets beyond 2^53, bytes that do not parse).
 */
export function decodeFetchResponse(rawData: Buffer): DecodedFetchResponse | undefined {
  try {
    const reader = new Reader(rawData, 0, rawData.length);
    const clientSideThrottleTime = reader.int32();
    const errorCode = reader.int16();
    const sessionId = reader.int32();
    const responses = readArray(reader, (topics) => ({
      topicName: topics.string(),
      partitions: readArray(topics, decodePartition),
    }));
    return { throttleTime: 0, clientSideThrottleTime, errorCode, sessionId, responses };
  } catch (error) {
    if (error instanceof NotCovered || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Makes every kafkajs consumer in this process decode its Fetch v11 responses in one walk; idempotent. */
export function useSinglePassFetchDecoding(): void {
  overrideRequestVersions(
    fetchRequests as KafkajsRequestDefinition<VersionedFetch>,
    (version) => version === DECODED_VERSION,
    (kafkajs) => (args) => {
      const built = kafkajs(args);
      const kafkajsResponse = built.response;
      const decode = async (rawData: Buffer) =>
        decodeFetchResponse(rawData) ?? kafkajsResponse.decode(rawData);
      return { ...built, response: { ...kafkajsResponse, decode } };
    },
  );
}
