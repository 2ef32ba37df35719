import fc from 'fast-check';
import { findTooDeepJson } from './json-depth';

/** How deep a parsed JSON value nests: a scalar is at depth 0, the top-level container at depth 1. */
const depthOf = (value: unknown): number =>
  typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

const nested = (depth: number, open: string, close: string, inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

describe('findTooDeepJson', () => {
  it('accepts a body exactly at the limit', () => {
    expect(findTooDeepJson(nested(32, '[', ']'), 32)).toBeUndefined();
    expect(findTooDeepJson('{"a":{"b":[1,{"c":2}]}}', 4)).toBeUndefined();
  });

  it('names the pointer of the container that opens one level too deep', () => {
    expect(findTooDeepJson('{"a":{"b":[1,{"c":{}}]}}', 3)).toBe('/a/b/1');
    expect(findTooDeepJson('{"a":{"b":[1,{"c":{}}]}}', 4)).toBe('/a/b/1/c');
    expect(findTooDeepJson('{"a":{"b":[1,{"c":{}}]}}', 5)).toBeUndefined();
    expect(findTooDeepJson(nested(33, '[', ']'), 32)).toBe(`/${Array(32).fill('0').join('/')}`);
  });

  it('counts commas, not brackets, for array indexes and keys after closed siblings', () => {
    expect(findTooDeepJson('{"x":[[1],[2],[3,[[]]]],"y":{}}', 3)).toBe('/x/2/1');
    expect(findTooDeepJson('{"x":{"a":{}},"y":{"b":{"c":{}}}}', 3)).toBe('/y/b/c');
  });

  it('ignores brackets, quotes and escapes inside strings, and escapes keys as RFC 6901 says', () => {
    const body = JSON.stringify({ '[{"': '}]\\"[[[[', 'a/b~c': { 'k\u00e9y': { d: {} } } });
    expect(findTooDeepJson(body, 4)).toBeUndefined();
    expect(findTooDeepJson(body, 3)).toBe('/a~1b~0c/k\u00e9y/d');
    expect(findTooDeepJson('{"\\u0041\\"":{"b":{}}}', 2)).toBe('/A"/b');
  });

  it('scans a hostile body in one pass without using the stack', () => {
    const hostile = `{"lead_id":"x","extra":${nested(200_000, '{"a":', '}', '"\\u0000"')}}`;
    expect(findTooDeepJson(hostile, 32)?.split('/')).toHaveLength(33);
    expect(findTooDeepJson(nested(1_000_000, '[', ']'), 32)).toBeDefined();
  });

  it('finds a container too deep exactly when the parsed value nests deeper than the limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 7 }), (value, maxDepth) => {
        const text = JSON.stringify(value);
        expect(findTooDeepJson(text, maxDepth) !== undefined).toBe(depthOf(value) > maxDepth);
      }),
      { numRuns: 2_000 },
    );
  });
});
