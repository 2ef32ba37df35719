// A batch's rows reach PostgreSQL as one typed array per column ($1, $2, ...), read back as rows with
// unnest(). Parsing typed arrays costs the server much less than parsing one JSON document of the whole batch
// and looking every field up by name (jsonb_to_recordset), and a batch of any size is still one statement
// with one parameter per column, far below the parameter limit.

/** Column name → PostgreSQL type, in the order of the statement's parameters. */
export type Columns = Record<string, string>;

const JSONB = 'jsonb';
const TEXT_ARRAY = 'text[]';

/**
 * `(SELECT ... FROM unnest($first::type[], ...)) AS x`: the rows of the arrays, with the columns' names and
 * types. A text[] value travels as its array literal (unnest would flatten an array of arrays).
 */
export function rowsOf(columns: Columns, firstParameter = 1): string {
  const entries = Object.entries(columns);
  const arrays = entries.map(
    ([, type], index) => `$${firstParameter + index}::${type === TEXT_ARRAY ? 'text' : type}[]`,
  );
  const selected = entries.map(([name, type]) => (type === TEXT_ARRAY ? `${name}::text[] AS ${name}` : name));
  return `(SELECT ${selected.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${Object.keys(columns).join(
    ', ',
  )})) AS x`;
}

/** `{"a","b"}`: a text[] literal. */
function textArrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

function parameterOf(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === JSONB) return JSON.stringify(value);
  if (type === TEXT_ARRAY) return textArrayLiteral(value as string[]);
  return value;
}

/** The parameters of rowsOf(columns): one array per column, the rows' values in row order. */
export function columnArrays(columns: Columns, rows: readonly object[]): unknown[][] {
  return Object.entries(columns).map(([name, type]) =>
    rows.map((row) => parameterOf((row as Record<string, unknown>)[name], type)),
  );
}
