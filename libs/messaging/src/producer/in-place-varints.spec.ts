import { KafkajsEncoderClass, writeUVarIntInPlace } from './in-place-varints';

const EDGES = [
  0,
  1,
  127,
  128,
  255,
  300,
  16_383,
  16_384,
  2_097_151,
  2_097_152,
  268_435_455,
  268_435_456,
  2 ** 31 - 1,
  2 ** 32 - 1,
  -1,
  -128,
  -(2 ** 31),
];

describe('writeUVarIntInPlace', () => {
  it("writes the bytes kafkajs' own writeUVarInt writes, growing the encoder's buffer as needed", () => {
    const kafkajsOwn = KafkajsEncoderClass.prototype.writeUVarInt; // useInPlaceVarints() does not run here
    expect(kafkajsOwn).not.toBe(writeUVarIntInPlace);
    const inPlace = new KafkajsEncoderClass();
    const reference = new KafkajsEncoderClass();
    for (let round = 0; round < 200; round += 1) {
      for (const value of EDGES) {
        writeUVarIntInPlace.call(inPlace, value);
        kafkajsOwn.call(reference, value);
      }
    }
    expect(inPlace.offset).toBe(reference.offset);
    expect(inPlace.buf.subarray(0, inPlace.offset)).toEqual(reference.buf.subarray(0, reference.offset));
  });
});
