import fc from 'fast-check';
import { columnArrays, rowsOf } from './column-arrays';

/** What a jsonb column writes as JSON text: null is SQL NULL, numbers and booleans go as they are. */
const writtenAsJson = (value: unknown) =>
  typeof value === 'string' || (typeof value === 'object' && value !== null);

describe('column arrays', () => {
  const columns = { lead_id: 'text', score: 'double precision', details: 'jsonb', destinations: 'text[]' };

  it('reads one typed array per column, numbered from the first parameter', () => {
    expect(rowsOf(columns, 3)).toBe(
      '(SELECT lead_id, score, details, destinations::text[] AS destinations FROM ' +
        'unnest($3::text[], $4::double precision[], $5::jsonb[], $6::text[]) ' +
        'AS u(lead_id, score, details, destinations)) AS x',
    );
  });

  it('gives each column its rows’ values in row order as an array literal, missing ones as NULL', () => {
    expect(
      columnArrays(columns, [
        { lead_id: 'a', score: 72, details: { tier: 'warm' }, destinations: ['hubspot'] },
        { lead_id: 'b', score: null, details: null },
      ]),
    ).toEqual(['{"a","b"}', '{72,NULL}', '{"{\\"tier\\":\\"warm\\"}",NULL}', '{"{\\"hubspot\\"}",NULL}']);
  });

  it('quotes every text, so that NULL, blanks, commas and braces stay text', () => {
    expect(columnArrays({ note: 'text' }, [{ note: 'NULL' }, { note: '' }, { note: ' {a, b} ' }])).toEqual([
      '{"NULL",""," {a, b} "}',
    ]);
  });

  it('escapes quotes and backslashes in text', () => {
    expect(columnArrays({ note: 'text' }, [{ note: 'say "hi" \\ bye' }])).toEqual([
      '{"say \\"hi\\" \\\\ bye"}',
    ]);
  });

  it('writes numbers and booleans as PostgreSQL reads them', () => {
    expect(
      columnArrays({ price: 'double precision', approved: 'boolean' }, [
        { price: -1.5e-7, approved: true },
        { price: 0, approved: false },
      ]),
    ).toEqual(['{-1.5e-7,0}', '{true,false}']);
  });

  it('encodes a jsonb array as JSON, not as a PostgreSQL array', () => {
    expect(columnArrays({ warnings: 'jsonb' }, [{ warnings: [] }, { warnings: [{ field: 'x' }] }])).toEqual([
      '{"[]","[{\\"field\\":\\"x\\"}]"}',
    ]);
  });

  it('quotes any JSON value as an array element: its quotes and backslashes escaped, nothing else changed', () => {
    const strings = fc.string({ unit: 'binary' }); // any code point, control characters and U+2028 included
    fc.assert(
      fc.property(
        fc.jsonValue({ stringUnit: 'binary' }).filter(writtenAsJson),
        fc.dictionary(strings, strings),
        (value, object) => {
          for (const json of [value, object]) {
            const text = JSON.stringify(json);
            expect(columnArrays({ details: 'jsonb' }, [{ details: json }])).toEqual([
              `{"${text.replace(/["\\]/g, '\\$&')}"}`,
            ]);
          }
        },
      ),
    );
  });

  it('gives a text[] value as its own literal, quoted and escaped as one element', () => {
    expect(
      columnArrays({ destinations: 'text[]' }, [
        { destinations: ['a,b', 'say "hi"', 'back\\slash', ''] },
        { destinations: [] },
      ]),
    ).toEqual(['{"{\\"a,b\\",\\"say \\\\\\"hi\\\\\\"\\",\\"back\\\\\\\\slash\\",\\"\\"}","{}"}']);
  });

  it('gives an empty array for no rows', () => {
    expect(columnArrays(columns, [])).toEqual(['{}', '{}', '{}', '{}']);
  });
});
