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

const NEEDS_ESCAPE = /["\\]/;

/** `"..."`: an element of an array literal, its quotes and backslashes escaped. */
function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
}

function elementOf(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // JSON text holds no control characters or lone surrogates (JSON.stringify escapes them), so quoting it
  // as a JSON string escapes exactly its quotes and backslashes: quoted() in one native pass, no regex.
  if (type === JSONB) return JSON.stringify(JSON.stringify(value));
  if (type === TEXT_ARRAY) return quoted(`{${(value as string[]).map(quoted).join(',')}}`);
  return quoted(String(value));
}

/**
 * The parameters of rowsOf(columns): one array literal per column, the rows' values in row order. Built
 * here rather than by pg from JavaScript arrays: pg escapes each element with two passes over it, a
 * batch's largest cost in the service after decoding its records.
 */
export function columnArrays(columns: Columns, rows: readonly object[]): string[] {
  const last = rows.length - 1;
  return Object.entries(columns).map(([name, type]) => {
    if (last < 0) return '{}';
    // One join, braces included, gives one flat string. A string grown by += is a chain of pieces, and so
    // is `{${joined}}`: pg's Buffer.byteLength copied each literal whole to flatten it (4 % of persistence's
    // allocation).
    const elements = new Array<string>(rows.length);
    for (let i = 0; i <= last; i++) {
      elements[i] = elementOf((rows[i] as Record<string, unknown>)[name], type);
    }
    elements[0] = `{${elements[0] as string}`;
    elements[last] = `${elements[last] as string}}`;
    return elements.join(',');
  });
}
