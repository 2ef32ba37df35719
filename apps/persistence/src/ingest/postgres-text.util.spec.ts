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
