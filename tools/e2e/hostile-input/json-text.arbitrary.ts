// Arbitraries of hostile JSON: strings with lone surrogates, NUL and control characters, number tokens
// no JavaScript number holds, repeated keys, nesting thousands deep, thousands of members, and text
// that is not JSON at all (or not UTF-8).
import fc from 'fast-check';
import { renderJson, type JsonText } from './json-text';

/** What a hostile client sends: text, or bytes that are not valid UTF-8. */
export type RawBody = string | Buffer;

/** Deepest nesting generated: far past any sane parser limit (the gateway's is about 32). */
export const MAX_NESTING = 6_000;

const NASTY_CHARACTERS = [
  '\u0000', // NUL: PostgreSQL text cannot hold it
  '\u0001',
  '\u001f',
  '\u007f',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\udbff\udfff', // the last code point (a valid pair)
  '\ufeff', // BOM
  '\ufffe',
  '\u2028', // line separator, a line break in JavaScript source
  '\u202e', // right-to-left override
  '\u0301', // combining accent with nothing to combine with
  '\\',
  '"',
  '%s',
  '${x}',
];

/** One UTF-16 unit sequence: mostly ordinary characters, often one that breaks something. */
const hostileCharacter = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_CHARACTERS) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)) },
);

export const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: hostileCharacter, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '__proto__', 'constructor', 'null', '1e400') },
  // Long enough to pass a column or header size, short enough to stay under the body limit.
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileCharacter, fc.integer({ min: 1_000, max: 20_000 }))
      .map(([unit, times]) => unit.repeat(times)),
  },
);

/** Number tokens as text: what JSON allows but no double holds, and what JSON does not allow. */
export const rawNumber: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e400',
    '-1e400',
    '1E+999999999',
    '-0',
    '-0.0',
    '0e-400',
    '4.9e-325',
    '9007199254740993',
    '-9007199254740993',
    '1.7976931348623159e308',
  ),
  fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc.integer().map(String),
);

const scalar: fc.Arbitrary<JsonText> = fc.oneof(
  hostileString.map((string) => ({ string })),
  rawNumber.map((raw) => ({ raw })),
  fc.constantFrom('true', 'false', 'null').map((raw) => ({ raw })),
);

/** Keys drawn partly from a small pool, so that objects repeat keys now and then. */
const objectKey = fc.oneof(
  fc.constantFrom('lead_id', 'contact', 'email', 'timestamp', '__proto__', 'constructor', 'k', ''),
  hostileString,
);

/** A JSON tree of hostile scalars, a few levels deep. */
export const jsonTree: fc.Arbitrary<JsonText> = fc.letrec<{
  node: JsonText;
  array: JsonText;
  object: JsonText;
}>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 6 }).map((array) => ({ array })),
  object: fc.array(fc.tuple(objectKey, tie('node')), { maxLength: 6 }).map((object) => ({ object })),
})).node;

/** Arrays or objects nested up to MAX_NESTING deep. */
export const deepJson: fc.Arbitrary<JsonText> = fc.record({
  nest: fc.integer({ min: 1, max: MAX_NESTING }),
  style: fc.constantFrom('array' as const, 'object' as const),
  inner: scalar,
});

const shortScalar: fc.Arbitrary<JsonText> = fc.oneof(
  fc.string({ unit: hostileCharacter, maxLength: 8 }).map((string) => ({ string })),
  fc.constantFrom('1e400', '-0', '0', 'true', 'null', '{}', '[]').map((raw) => ({ raw })),
);

/** Thousands of members, or one key repeated thousands of times. */
export const wideJson: fc.Arbitrary<JsonText> = fc.record({
  wide: fc.integer({ min: 1, max: 5_000 }),
  style: fc.constantFrom('array' as const, 'object' as const, 'same-key' as const),
  item: shortScalar,
});

/** Any hostile value: for a field of an otherwise valid lead, or a whole body. */
export const hostileValue: fc.Arbitrary<JsonText> = fc.oneof(
  { weight: 4, arbitrary: jsonTree },
  { weight: 2, arbitrary: deepJson },
  { weight: 1, arbitrary: wideJson },
);

/** Text that is almost JSON: cut short, with garbage after it, comments, NaN, a BOM, raw control bytes. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(jsonTree.map(renderJson), fc.nat())
    .map(([text, cut]) => text.slice(0, text.length === 0 ? 0 : cut % text.length)),
  fc
    .tuple(jsonTree.map(renderJson), fc.constantFrom('}', ']', ',', 'x', '\u0000', ' {}'))
    .map(([text, tail]) => text + tail),
  jsonTree.map((value) => `\ufeff${renderJson(value)}`),
  fc.constantFrom(
    '',
    ' ',
    '{',
    '{"a":NaN}',
    '{"a":Infinity}',
    "{'a':1}",
    '{"a":1,}',
    '{"a":01}',
    '{"a":.5}',
    '{"a":+1}',
    '/* c */ {}',
    '{"a":"\u0000"}',
    '{"a":"line\nbreak"}',
    '{"a":"\\ud800"}',
    '{"a":"\\x41"}',
  ),
);

/** Bytes that are not UTF-8 (lone continuation bytes, overlong encodings, surrogates in UTF-8). */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .tuple(
    jsonTree.map(renderJson),
    fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]),
    fc.nat(),
  )
  .map(([text, bytes, at]) => {
    const encoded = Buffer.from(`{"lead_id":"${text.length}","v":${JSON.stringify(text)}}`, 'utf8');
    const position = at % (encoded.length + 1);
    return Buffer.concat([encoded.subarray(0, position), Buffer.from(bytes), encoded.subarray(position)]);
  });

/** A whole hostile body, not built from a lead (see lead-mutation.arbitrary for those). */
export const hostileJsonBody: fc.Arbitrary<RawBody> = fc.oneof(
  { weight: 5, arbitrary: hostileValue.map(renderJson) },
  { weight: 2, arbitrary: malformedJson },
  { weight: 1, arbitrary: invalidUtf8 },
);
