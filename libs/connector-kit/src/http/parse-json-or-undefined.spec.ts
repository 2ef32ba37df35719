import { parseJsonOrUndefined } from './parse-json-or-undefined';

describe('parseJsonOrUndefined', () => {
  it.each([
    ['an object', '{"id":"1","ok":true}', { id: '1', ok: true }],
    ['a list', '[{"errorCode":"X"}]', [{ errorCode: 'X' }]],
    ['null', 'null', null],
    ['a number', '42', 42],
  ])('reads %s', (_, text, value) => {
    expect(parseJsonOrUndefined(text)).toEqual(value);
  });

  it.each([
    ['an empty body', ''],
    ['an HTML page', '<html><body>Bad gateway</body></html>'],
    ['a body cut short', '{"results":[{"id"'],
  ])('gives up on %s', (_, text) => {
    expect(parseJsonOrUndefined(text)).toBeUndefined();
  });
});
