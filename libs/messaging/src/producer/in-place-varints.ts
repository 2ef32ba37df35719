// kafkajs 2.2.4 (its last release) writes every varint of a produced record (lengths of the record, key,
// value and of each header's name and value) through a fresh `Buffer.from(array)`: about a tenth of the
// bytes the gateway allocated per lead, and one of each connector's largest allocators. This writes the same
// bytes into the encoder's buffer instead; IdempotentProducer installs it, so every producing app has it.
// @ts-expect-error kafkajs ships no types for its protocol internals
import Encoder from 'kafkajs/src/protocol/encoder';

interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): KafkajsEncoder;
}

const MAX_UVARINT32_BYTES = 5;

/** Unsigned LEB128, as kafkajs' own writeUVarInt (its `value & 0xffffff80` loop, `>>>= 7` steps). */
export function writeUVarIntInPlace(this: KafkajsEncoder, value: number): KafkajsEncoder {
  this.ensureAvailable(MAX_UVARINT32_BYTES);
  let rest = value;
  while ((rest & 0xffffff80) !== 0) {
    this.buf[this.offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  this.buf[this.offset++] = rest & 0x7f;
  return this;
}

/** kafkajs' protocol encoder class (internal: not exported by the package, hence the path). */
export const KafkajsEncoderClass = Encoder as { prototype: KafkajsEncoder } & (new () => KafkajsEncoder);

let installed = false;

/** Makes every kafkajs encoder in this process write varints in place; idempotent. */
export function useInPlaceVarints(): void {
  if (installed) return;
  KafkajsEncoderClass.prototype.writeUVarInt = writeUVarIntInPlace;
  installed = true;
}
