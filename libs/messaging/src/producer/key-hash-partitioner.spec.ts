import { Partitioners, type PartitionMetadata } from 'kafkajs';
// @ts-expect-error kafkajs ships no types for its partitioner internals
import kafkajsMurmur2 from 'kafkajs/src/producer/partitioners/default/murmur2';
import { KeyHashPartitioner, murmur2 } from './key-hash-partitioner';

const KEYS = [
  '',
  'a',
  'ab',
  'abc',
  'abcd',
  'lead-0001',
  '6f1c1f5e-2b7d-4c1e-9a53-6a0f8f1d2c3e',
  'zillow:ÄÖÜ-é-日本-🚀',
  'x'.repeat(2_000),
  ...Array.from({ length: 500 }, (_, index) => `lead-${index}-${(index * 7919).toString(36)}`),
];

const partitions = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
    offlineReplicas: [],
  }));

describe('KeyHashPartitioner', () => {
  it("hashes keys (strings and Buffers) exactly as kafkajs' murmur2", () => {
    for (const key of KEYS) {
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      expect(murmur2(Buffer.from(key))).toBe(kafkajsMurmur2(Buffer.from(key)));
    }
  });

  it("chooses kafkajs' DefaultPartitioner's partition for keyed records and one with a partition", () => {
    const ours = KeyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const count of [1, 3, 12]) {
      const partitionMetadata = partitions(count);
      for (const key of KEYS) {
        const args = { topic: 't', partitionMetadata, message: { key, value: 'v' } };
        expect(ours(args)).toBe(theirs(args));
      }
      const pinned = { topic: 't', partitionMetadata, message: { key: 'k', value: 'v', partition: 0 } };
      expect(ours(pinned)).toBe(0);
    }
  });

  it('spreads records without a key over the available partitions, as kafkajs does', () => {
    const ours = KeyHashPartitioner();
    const partitionMetadata = partitions(3);
    const chosen = new Set(
      Array.from({ length: 6 }, () => ours({ topic: 't', partitionMetadata, message: { value: 'v' } })),
    );
    expect(chosen).toEqual(new Set([0, 1, 2]));
  });
});
