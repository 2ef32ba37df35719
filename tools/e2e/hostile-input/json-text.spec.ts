import fc from 'fast-check';
import { renderJson, toJsonText } from './json-text';
import { MAX_NESTING, deepJson, hostileJsonBody, jsonTree, rawNumber, wideJson } from './json-text.arbitrary';

describe('renderJson', () => {
  it('writes what JSON.stringify cannot: raw number tokens and repeated keys', () => {
    expect(
      renderJson({
        object: [
          ['a', { raw: '1e400' }],
          ['a', { raw: '-0' }],
        ],
      }),
    ).toBe('{"a":1e400,"a":-0}');
  });

  it('escapes lone surrogates and control characters in strings', () => {
    expect(renderJson({ string: '\ud800\u0000' })).toBe('"\\ud800\\u0000"');
  });

  it('nests thousands deep without overflowing the stack', () => {
    const text = renderJson({ nest: 100_000, style: 'object', inner: { raw: '1' } });
    expect(text.startsWith('{"k":{"k":')).toBe(true);
    expect(text.length).toBe(100_000 * 6 + 1);
  });

  it('renders a factory value unchanged', () => {
    const value = { a: [1, 'x', null, { b: true }] };
    expect(JSON.parse(renderJson(toJsonText(value)))).toEqual(value);
  });
});

describe('hostile JSON arbitraries', () => {
  it('give JSON.parse-able text for trees, deep and wide values', () => {
    fc.assert(
      fc.property(fc.oneof(jsonTree, deepJson, wideJson), (value) => {
        // Nesting deeper than V8's parser allows is a hostile case of its own: it must throw, not crash.
        const text = renderJson(value);
        try {
          JSON.parse(text);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reach far past the gateway depth limit', () => {
    const depths = fc
      .sample(deepJson, { seed: 1, numRuns: 200 })
      .map((value) => ('nest' in value ? value.nest : 0));
    expect(Math.max(...depths)).toBeGreaterThan(MAX_NESTING / 2);
  });

  it('produce number tokens no double holds', () => {
    const tokens = fc.sample(rawNumber, { seed: 1, numRuns: 300 });
    expect(tokens.some((token) => !Number.isFinite(JSON.parse(token)))).toBe(true);
    expect(tokens.some((token) => token.replace('-', '').length > 100)).toBe(true);
  });

  it('produce bodies that are malformed or not UTF-8 now and then', () => {
    const bodies = fc.sample(hostileJsonBody, { seed: 1, numRuns: 300 });
    const parses = (body: string | Buffer) => {
      try {
        JSON.parse(Buffer.from(body).toString('utf8'));
        return true;
      } catch {
        return false;
      }
    };
    expect(bodies.some((body) => Buffer.isBuffer(body))).toBe(true);
    expect(bodies.some((body) => !parses(body))).toBe(true);
    expect(bodies.some((body) => parses(body))).toBe(true);
  });
});
