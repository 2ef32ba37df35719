import fc from 'fast-check';
// @ts-expect-error kafkajs ships no types for its protocol internals
import produceRequests from 'kafkajs/src/protocol/requests/produce';
// @ts-expect-error kafkajs ships no types for its protocol internals
import kafkajsProduceV3 from 'kafkajs/src/protocol/requests/produce/v3/request';
import {
  encodeProduceRequestBody,
  useSinglePassProduceEncoding,
  type ProduceRequestArgs,
} from './single-pass-produce-encoding';

const NOW = 1_765_000_000_123;

async function kafkajsBody(args: ProduceRequestArgs): Promise<Buffer> {
  const encoder = await kafkajsProduceV3(args).encode();
  return encoder.buffer;
}

const text = fc.string({ unit: 'binary', maxLength: 40 });
const bytes = fc.oneof(
  text,
  fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array)),
);
const headerValue = fc.oneof(bytes, fc.array(bytes, { maxLength: 3 }));
const timestamp = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(0),
  fc.integer({ min: 1, max: 2 * NOW }),
  fc.constant(NOW - 5),
);
const message = fc.record(
  {
    key: fc.oneof(bytes, fc.constant(null), fc.constant(undefined)),
    value: fc.oneof(bytes, fc.constant(null), fc.string({ minLength: 2_000, maxLength: 2_500 })),
    headers: fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), headerValue, { maxKeys: 12 }),
    timestamp,
  },
  { requiredKeys: ['value'] },
);
const partition = fc.record(
  {
    partition: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    firstSequence: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    messages: fc.array(message, { maxLength: 6 }),
  },
  { requiredKeys: ['partition', 'messages'] },
);
const produceArgs: fc.Arbitrary<ProduceRequestArgs> = fc.record(
  {
    acks: fc.constantFrom(-1, 0, 1),
    timeout: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    compression: fc.constant(0),
    transactionalId: fc.oneof(fc.constant(null), fc.constant(''), text),
    producerId: fc.oneof(
      fc.integer({ min: -1, max: 2 ** 31 }),
      fc.bigInt({ min: 0n, max: 2n ** 62n }).map(String),
      fc.constant(Number.MAX_SAFE_INTEGER),
    ),
    producerEpoch: fc.integer({ min: 0, max: 32_767 }),
    topicData: fc.array(
      fc.record({
        topic: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
        partitions: fc.array(partition, { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['acks', 'timeout', 'topicData'] },
);

describe('encodeProduceRequestBody', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  it('writes, byte for byte, the produce request body kafkajs encodes for the same arguments', async () => {
    await fc.assert(
      fc.asyncProperty(produceArgs, async (args) => {
        const body = encodeProduceRequestBody(args);
        expect(body?.buffer).toEqual(await kafkajsBody(args));
        expect(body?.buf).toBe(body?.buffer);
      }),
      { numRuns: 200 },
    );
  });

  it('matches kafkajs for what the apps send: 2 KB JSON values with eleven CloudEvents headers', async () => {
    const headers = Object.fromEntries(
      [
        'ce_specversion',
        'ce_id',
        'ce_source',
        'ce_type',
        'ce_time',
        'ce_subject',
        'content-type',
        'traceparent',
      ]
        .concat(['account_id', 'lead_id', 'schema_version'])
        .map((name, index) => [name, `value-${index}-${'é'.repeat(index)}`]),
    );
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      producerId: '4711',
      producerEpoch: 3,
      topicData: [
        {
          topic: 'leads.received.v1',
          partitions: [0, 5].map((partition) => ({
            partition,
            firstSequence: 17 + partition,
            messages: Array.from({ length: 4 }, (_, index) => ({
              key: `account-1:lead-${index}`,
              value: JSON.stringify({ lead: index, notes: 'x'.repeat(2_000) }),
              headers,
            })),
          })),
        },
      ],
    };
    expect(encodeProduceRequestBody(args)?.buffer).toEqual(await kafkajsBody(args));
  });

  it.each<[string, (args: ProduceRequestArgs) => void]>([
    ['the batch is compressed', (args) => (args.compression = 1)],
    [
      'a header value is null',
      (args) => (args.topicData[0].partitions[0].messages[0].headers = { a: null as never }),
    ],
    ['a timestamp is text', (args) => (args.topicData[0].partitions[0].messages[0].timestamp = String(NOW))],
    ['a value is a number', (args) => (args.topicData[0].partitions[0].messages[0].value = 42 as never)],
  ])('leaves the request to kafkajs when %s', (_case, change) => {
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      topicData: [
        {
          topic: 't',
          partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', headers: { a: 'b' } }] }],
        },
      ],
    };
    expect(encodeProduceRequestBody(args)).toBeDefined();
    change(args);
    expect(encodeProduceRequestBody(args)).toBeUndefined();
  });
});

describe('useSinglePassProduceEncoding', () => {
  const args: ProduceRequestArgs = {
    acks: -1,
    timeout: 30_000,
    producerId: 9,
    topicData: [
      {
        topic: 't',
        partitions: [{ partition: 2, messages: [{ key: 'k', value: 'v', headers: { a: 'b' } }] }],
      },
    ],
  };
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  it("has kafkajs' produce requests of versions 3 to 7 encode in one pass, and leaves older versions alone", async () => {
    useSinglePassProduceEncoding();
    useSinglePassProduceEncoding();
    const expected = await kafkajsBody(args);
    for (const version of [3, 4, 5, 6, 7]) {
      const { request } = produceRequests.protocol({ version })(args);
      expect(request.apiVersion).toBe(version);
      const body = await request.encode();
      expect(body.buffer).toEqual(expected);
      expect(body).not.toHaveProperty('offset'); // not a kafkajs Encoder: the one-pass body
    }
    const older = await produceRequests
      .protocol({ version: 2 })({ ...args, compression: 0 })
      .request.encode();
    expect(older).toHaveProperty('offset');
  });

  it("falls back to kafkajs' own encoder for a request it does not cover", async () => {
    useSinglePassProduceEncoding();
    const compressedArgs = { ...args, compression: 1 };
    const body = await produceRequests.protocol({ version: 7 })(compressedArgs).request.encode();
    expect(body).toHaveProperty('offset');
    expect(body.buffer).toEqual(await kafkajsBody(compressedArgs));
  });
});
