import { mayHoldUnstorableText, storableJson } from './postgres-text.util';

describe('storableJson', () => {
  it('drops U+0000 and replaces unpaired surrogates, in values and keys, at any depth', () => {
    const parsed = JSON.parse(
      '{"na\\u0000me": "a\\u0000b", "list": ["x\\ud800", {"deep": "\\udfffy"}], "n": 1, "t": true, "z": null}',
    );
    expect(storableJson(parsed)).toEqual({
      name: 'ab',
      list: ['x\ufffd', { deep: '\ufffdy' }],
      n: 1,
      t: true,
      z: null,
    });
  });

  it('keeps every well-formed character, surrogate pairs included', () => {
    const text = 'Zoë 👩🏽‍💻 東京 مرحبا e\u0301 \ud83c\udfe0';
    expect(storableJson({ text })).toEqual({ text });
  });
});

describe('mayHoldUnstorableText', () => {
  it('is true only when the JSON text has a \\u escape', () => {
    expect(mayHoldUnstorableText(Buffer.from('{"a":"\\u0000"}'))).toBe(true);
    expect(mayHoldUnstorableText(Buffer.from('{"a":"Zoë 👋"}'))).toBe(false);
  });
});

describe('storableJson on hostile shapes', () => {
  it('copies a value nested 100,000 levels deep without overflowing the stack', () => {
    let nested: unknown = 'a\u0000b';
    for (let depth = 0; depth < 100_000; depth++) nested = depth % 2 ? { child: nested } : [nested];
    let copy = storableJson(nested);
    for (let depth = 100_000 - 1; depth >= 0; depth--) {
      copy = depth % 2 ? (copy as { child: unknown }).child : (copy as unknown[])[0];
    }
    expect(copy).toBe('ab');
  });

  it('keeps the order of keys and a key named __proto__ as an own property', () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"x":"\\u0000y"},"a":2}');
    const copy = storableJson(parsed) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['b', '__proto__', 'a']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ x: 'y' });
  });
});
