import fc from 'fast-check';
// @ts-expect-error kafkajs ships no types for its protocol internals
import Encoder from 'kafkajs/src/protocol/encoder';
// @ts-expect-error kafkajs ships no types for its protocol internals
import { RecordBatch } from 'kafkajs/src/protocol/recordBatch/v0';
// @ts-expect-error kafkajs ships no types for its protocol internals
import Record from 'kafkajs/src/protocol/recordBatch/record/v0';
// @ts-expect-error kafkajs ships no types for its protocol internals
import fetchRequests from 'kafkajs/src/protocol/requests/fetch';
// @ts-expect-error kafkajs ships no types for its protocol internals
import kafkajsV11 from 'kafkajs/src/protocol/requests/fetch/v11/response';
// @ts-expect-error kafkajs ships no types for its protocol internals
import kafkajsV10 from 'kafkajs/src/protocol/requests/fetch/v10/response';
import { createKafkaClient } from '../kafka-client';
import { KafkaConfig } from '../kafka.config';
import { silentLogger } from '../messaging-logger';
import { decodeFetchResponse, useSinglePassFetchDecoding } from './single-pass-fetch-decoding';

const kafkajsDecode = (rawData: Buffer): Promise<unknown> => kafkajsV11.decode(rawData);

const GZIP = 1;
/** Offset of a record batch's attributes: firstOffset 8, length 4, partitionLeaderEpoch 4, magic 1, crc 4. */
const ATTRIBUTES_AT = 21;

type HeaderInput = Record<string, string | Buffer | (string | Buffer)[]>;
interface BatchInput {
  firstOffset: number;
  firstTimestamp: number;
  flags: number;
  compressed: boolean;
  records: {
    key: string | Buffer | null;
    value: string | Buffer | null;
    headers: HeaderInput;
    delta: number;
  }[];
}
interface PartitionInput {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  aborted: [bigint, bigint][];
  batches: BatchInput[];
  /** Bytes of one more batch cut off at the end, as a fetch's size limit leaves it. */
  cutTail: number;
}
interface ResponseInput {
  sessionId: number;
  topics: { topic: string; partitions: PartitionInput[] }[];
}

async function encodeBatch(batch: BatchInput): Promise<Buffer> {
  const records = batch.records.map((record, offsetDelta) =>
    Record({
      offsetDelta,
      timestampDelta: record.delta,
      key: record.key,
      value: record.value,
      headers: record.headers,
    }),
  );
  const encoded: Buffer = (
    await RecordBatch({
      compression: batch.compressed ? GZIP : 0,
      firstOffset: batch.firstOffset,
      firstTimestamp: batch.firstTimestamp,
      maxTimestamp: batch.firstTimestamp + 1_000,
      producerId: 77,
      producerEpoch: 1,
      firstSequence: 5,
      lastOffsetDelta: records.length - 1,
      records,
    })
  ).buffer;
  const copy = Buffer.from(encoded);
  copy.writeInt16BE(copy.readInt16BE(ATTRIBUTES_AT) | batch.flags, ATTRIBUTES_AT); // timestamp type, transactional, control
  return copy;
}

async function encodeResponse(input: ResponseInput): Promise<Buffer> {
  const out = new Encoder()
    .writeInt32(0)
    .writeInt16(0)
    .writeInt32(input.sessionId)
    .writeInt32(input.topics.length);
  for (const { topic, partitions } of input.topics) {
    out.writeString(topic).writeInt32(partitions.length);
    for (const partition of partitions) {
      out
        .writeInt32(partition.partition)
        .writeInt16(partition.errorCode)
        .writeInt64(partition.highWatermark.toString())
        .writeInt64((partition.highWatermark - 1n).toString())
        .writeInt64('0')
        .writeInt32(partition.aborted.length);
      for (const [producerId, firstOffset] of partition.aborted)
        out.writeInt64(String(producerId)).writeInt64(String(firstOffset));
      out.writeInt32(-1);
      const batches = await Promise.all(partition.batches.map(encodeBatch));
      if (partition.cutTail > 0 && batches.length > 0) {
        const tail = batches[batches.length - 1];
        batches.push(tail.subarray(0, Math.min(partition.cutTail, tail.length - 1)));
      }
      out.writeBytes(Buffer.concat(batches));
    }
  }
  return out.buffer;
}

const bytes = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
);
const headerName = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom('toString', 'ce_id', '1'),
);
const batchInput: fc.Arbitrary<BatchInput> = fc.record({
  firstOffset: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.constant(2 ** 52)),
  firstTimestamp: fc.oneof(fc.integer({ min: 0, max: 2 ** 42 }), fc.constant(1_765_000_000_000)),
  flags: fc.constantFrom(0, 0x08, 0x10, 0x20, 0x30),
  compressed: fc.boolean(),
  records: fc.array(
    fc.record({
      key: fc.oneof(bytes, fc.constant(null)),
      value: fc.oneof(bytes, fc.constant(null)),
      headers: fc.dictionary(headerName, fc.oneof(bytes, fc.array(bytes, { minLength: 1, maxLength: 3 })), {
        maxKeys: 11,
      }),
      delta: fc.oneof(fc.integer({ min: -1_000, max: 100_000 }), fc.constant(2 ** 45)),
    }),
    { maxLength: 5 },
  ),
});
const responseInput: fc.Arbitrary<ResponseInput> = fc.record({
  sessionId: fc.integer(),
  topics: fc.array(
    fc.record({
      topic: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
      partitions: fc.array(
        fc.record({
          partition: fc.nat(),
          errorCode: fc.constantFrom(0, 1, 6),
          highWatermark: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
          aborted: fc.array(
            fc.tuple(fc.bigInt({ min: -1n, max: 2n ** 62n }), fc.bigInt({ min: 0n, max: 2n ** 62n })),
            { maxLength: 2 },
          ),
          batches: fc.array(batchInput, { maxLength: 3 }),
          cutTail: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
        }),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 2 },
  ),
});

/** What the installed decoder resolves to: the one-walk result, else kafkajs' own. */
async function decodedByEither(rawData: Buffer): Promise<unknown> {
  return decodeFetchResponse(rawData) ?? kafkajsDecode(rawData);
}

describe('decodeFetchResponse', () => {
  it('returns, for any Fetch v11 response, what kafkajs decodes from it (its own decoder where not covered)', async () => {
    await fc.assert(
      fc.asyncProperty(responseInput, async (input) => {
        const rawData = await encodeResponse(input);
        expect(await decodedByEither(rawData)).toEqual(await kafkajsDecode(rawData));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes uncompressed batches itself, stopping at a batch cut off by the fetch size as kafkajs does', async () => {
    const batch: BatchInput = {
      firstOffset: 1_000,
      firstTimestamp: 1_765_000_000_000,
      flags: 0,
      compressed: false,
      records: [0, 1, 2].map((index) => ({
        key: `acct-1:lead-${index}`,
        value: JSON.stringify({ index }),
        headers: { ce_id: `id-${index}`, ce_type: 'lead.received', traceparent: ['a', 'b'] },
        delta: index * 10,
      })),
    };
    const rawData = await encodeResponse({
      sessionId: 0,
      topics: [
        {
          topic: 'leads',
          partitions: [
            {
              partition: 3,
              errorCode: 0,
              highWatermark: 1_003n,
              aborted: [],
              batches: [batch, { ...batch, firstOffset: 1_003 }],
              cutTail: 90,
            },
          ],
        },
      ],
    });
    const decoded = decodeFetchResponse(rawData);
    expect(decoded).toEqual(await kafkajsDecode(rawData));
    const messages = decoded?.responses[0].partitions[0].messages ?? [];
    expect(messages.map((record) => record.offset)).toEqual(['1000', '1001', '1002', '1003', '1004', '1005']);
    expect(messages[2].timestamp).toBe('1765000000020');
    expect(messages[2].headers['traceparent']).toEqual([Buffer.from('a'), Buffer.from('b')]);
    expect(messages[0].value?.buffer).toBe(rawData.buffer); // a view of the fetched bytes, as kafkajs gives
  });

  it("builds headers as kafkajs' spread does: __proto__ an own property, a prototype's member collected with the value", async () => {
    const headers = JSON.parse('{"__proto__": "p", "toString": "t", "1": "one"}') as HeaderInput;
    const batch: BatchInput = {
      firstOffset: 0,
      firstTimestamp: 0,
      flags: 0,
      compressed: false,
      records: [{ key: null, value: 'v', headers, delta: 0 }],
    };
    const rawData = await encodeResponse({
      sessionId: 0,
      topics: [
        {
          topic: 't',
          partitions: [
            { partition: 0, errorCode: 0, highWatermark: 1n, aborted: [], batches: [batch], cutTail: 0 },
          ],
        },
      ],
    });
    const decoded = decodeFetchResponse(rawData);
    expect(decoded).toEqual(await kafkajsDecode(rawData));
    const record = decoded?.responses[0].partitions[0].messages[0];
    expect(Object.prototype.hasOwnProperty.call(record?.headers, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(record?.headers)).toBe(Object.prototype);
  });

  it("reads each header's own name where records share names, or names of the same length at the same place", async () => {
    const records = [
      { ce_id: 'a', zz: 'b', é: 'c' },
      { ce_ix: 'd', zz: 'e', é: 'f' },
      { ce_ix: 'g', zy: 'h' },
      { zz: 'i', ce_ix: 'j' },
    ].map((headers, index) => ({ key: null, value: `v${index}`, headers, delta: index }));
    const batch: BatchInput = { firstOffset: 0, firstTimestamp: 0, flags: 0, compressed: false, records };
    const partition = { partition: 0, errorCode: 0, highWatermark: 8n, aborted: [], cutTail: 0 };
    const rawData = await encodeResponse({
      sessionId: 0,
      topics: [
        { topic: 't', partitions: [{ ...partition, batches: [batch, { ...batch, firstOffset: 4 }] }] },
      ],
    });
    const decoded = decodeFetchResponse(rawData);
    expect(decoded).toEqual(await kafkajsDecode(rawData));
    expect(decoded?.responses[0].partitions[0].messages.map((record) => Object.keys(record.headers))).toEqual(
      [
        ['ce_id', 'zz', 'é'],
        ['ce_ix', 'zz', 'é'],
        ['ce_ix', 'zy'],
        ['zz', 'ce_ix'],
        ['ce_id', 'zz', 'é'],
        ['ce_ix', 'zz', 'é'],
        ['ce_ix', 'zy'],
        ['zz', 'ce_ix'],
      ],
    );
  });

  it('leaves compressed batches and offsets beyond 2^53 to kafkajs', async () => {
    const batch: BatchInput = {
      firstOffset: 0,
      firstTimestamp: 0,
      flags: 0,
      compressed: true,
      records: [{ key: 'k', value: 'v', headers: {}, delta: 0 }],
    };
    const partition = { partition: 0, errorCode: 0, highWatermark: 1n, aborted: [], cutTail: 0 };
    const compressed = await encodeResponse({
      sessionId: 0,
      topics: [{ topic: 't', partitions: [{ ...partition, batches: [batch] }] }],
    });
    expect(decodeFetchResponse(compressed)).toBeUndefined();
    const huge = await encodeResponse({
      sessionId: 0,
      topics: [
        {
          topic: 't',
          partitions: [
            { ...partition, batches: [{ ...batch, compressed: false, firstOffset: 2 ** 53 + 2 }] },
          ],
        },
      ],
    });
    expect(decodeFetchResponse(huge)).toBeUndefined();
  });

  it('gives the same result or error as kafkajs for a response cut short anywhere', async () => {
    const rawData = await encodeResponse({
      sessionId: 9,
      topics: [
        {
          topic: 'leads',
          partitions: [
            {
              partition: 1,
              errorCode: 0,
              highWatermark: 2n,
              aborted: [[1n, 2n]],
              batches: [
                {
                  firstOffset: 0,
                  firstTimestamp: 5,
                  flags: 0,
                  compressed: false,
                  records: [{ key: 'k', value: 'v', headers: { h: 'x' }, delta: 1 }],
                },
              ],
              cutTail: 0,
            },
          ],
        },
      ],
    });
    for (let length = 0; length < rawData.length; length += 1) {
      const cut = rawData.subarray(0, length);
      const expected = await kafkajsDecode(cut).then(
        (value: unknown) => ({ value }),
        (error: Error) => ({ error: error.message }),
      );
      const actual = await decodedByEither(cut).then(
        (value) => ({ value }),
        (error: Error) => ({ error: error.message }),
      );
      expect(actual).toEqual(expected);
    }
  });
});

describe('useSinglePassFetchDecoding', () => {
  it('is installed by createKafkaClient, so every app consumes with it', () => {
    const kafkajsProtocol = fetchRequests.protocol;
    createKafkaClient(
      Object.assign(new KafkaConfig(), { KAFKA_BROKERS: ['127.0.0.1:9092'] }),
      'spec',
      silentLogger,
    );
    expect(fetchRequests.protocol).not.toBe(kafkajsProtocol);
  });

  it('gives the Fetch v11 response the one-walk decoder and leaves its parse and other versions to kafkajs', async () => {
    useSinglePassFetchDecoding();
    useSinglePassFetchDecoding();
    const installed = fetchRequests.protocol({ version: 11 })({ topics: [] }).response;
    expect(installed.decode).not.toBe(kafkajsV11.decode);
    expect(installed.parse).toBe(kafkajsV11.parse);
    expect(fetchRequests.protocol({ version: 10 })({ topics: [] }).response.decode).toBe(kafkajsV10.decode);
    const rawData = await encodeResponse({ sessionId: 1, topics: [] });
    expect(await installed.decode(rawData)).toEqual(await kafkajsDecode(rawData));
  });
});
