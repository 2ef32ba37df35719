import { columnArrays, rowsOf } from './column-arrays';

describe('column arrays', () => {
  const columns = { lead_id: 'text', score: 'double precision', details: 'jsonb', destinations: 'text[]' };

  it('reads one typed array per column, numbered from the first parameter', () => {
    expect(rowsOf(columns, 3)).toBe(
      '(SELECT lead_id, score, details, destinations::text[] AS destinations FROM ' +
        'unnest($3::text[], $4::double precision[], $5::jsonb[], $6::text[]) ' +
        'AS u(lead_id, score, details, destinations)) AS x',
    );
  });

  it('gives each column its rows’ values in row order, missing ones as NULL', () => {
    expect(
      columnArrays(columns, [
        { lead_id: 'a', score: 72, details: { tier: 'warm' }, destinations: ['hubspot'] },
        { lead_id: 'b', score: null, details: null },
      ]),
    ).toEqual([
      ['a', 'b'],
      [72, null],
      ['{"tier":"warm"}', null],
      ['{"hubspot"}', null],
    ]);
  });

  it('encodes a jsonb array as JSON, not as a PostgreSQL array', () => {
    expect(columnArrays({ warnings: 'jsonb' }, [{ warnings: [] }, { warnings: [{ field: 'x' }] }])).toEqual([
      ['[]', '[{"field":"x"}]'],
    ]);
  });

  it('quotes text[] items, escaping quotes and backslashes', () => {
    expect(
      columnArrays({ destinations: 'text[]' }, [
        { destinations: ['a,b', 'say "hi"', 'back\\slash', ''] },
        { destinations: [] },
      ]),
    ).toEqual([['{"a,b","say \\"hi\\"","back\\\\slash",""}', '{}']]);
  });
});
