import { Partitioners, type ICustomPartitioner } from 'kafkajs';

// The murmur2 of the Java client (Utils.murmur2, kafkajs' DefaultPartitioner) in 32-bit integer arithmetic:
// kafkajs computes it with a Long object per step, which made a keyed record's partition cost more bytes
// than its headers.
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const scratch = Buffer.alloc(1_024);

/** Murmur2 of the key's UTF-8 bytes, as a signed 32-bit integer: kafkajs' and Java's result. */
export function murmur2(key: string | Buffer): number {
  let data: Buffer;
  let length: number;
  if (Buffer.isBuffer(key)) {
    data = key;
    length = key.length;
  } else if (Buffer.byteLength(key) <= scratch.length) {
    data = scratch;
    length = scratch.write(key);
  } else {
    data = Buffer.from(key);
    length = data.length;
  }
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data.readInt32LE(i);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data.readUInt8(whole + 2) << 16;
    if (rest >= 2) h ^= data.readUInt8(whole + 1) << 8;
    h ^= data.readUInt8(whole);
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * kafkajs' DefaultPartitioner (the Java client's choice of partition), with keyed records hashed as above;
 * records with a partition or without a key go to kafkajs' own.
 */
export const KeyHashPartitioner: ICustomPartitioner = () => {
  const kafkajsDefault = Partitioners.DefaultPartitioner();
  return (args) => {
    const { key, partition } = args.message;
    if (partition !== null && partition !== undefined) return partition;
    if (key === null || key === undefined) return kafkajsDefault(args);
    return (murmur2(key) & 0x7fffffff) % args.partitionMetadata.length;
  };
};
