import { valueAt } from './composite';

describe('Composite references: the value at a path of an earlier answer', () => {
  const collection = [
    { id: '00Q000000000001AAA', success: true, errors: [] },
    { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] },
  ];

  it.each([
    ['.id of a record', { id: '00Q1' }, '.id', '00Q1'],
    ['[i].id of a collection', collection, '[0].id', '00Q000000000001AAA'],
    ['a field of a nested list', { recentItems: [{ Id: 'a' }, { Id: 'b' }] }, '.recentItems[1].Id', 'b'],
  ])('reads %s', (_case, json, path, expected) => {
    expect(valueAt(json, path)).toBe(expected);
  });

  it.each([
    ['a record of the collection that failed', collection, '[1].id'],
    ['an index past the end', collection, '[2].id'],
    ['an index into an object', { id: 'x' }, '[0].id'],
    ['a field of a list', collection, '.id'],
    ['a null answer', null, '.id'],
  ])('finds nothing for %s', (_case, json, path) => {
    expect(valueAt(json, path)).toBeUndefined();
  });
});
