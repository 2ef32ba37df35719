// PostgreSQL text and jsonb cannot hold U+0000, and jsonb rejects unpaired UTF-16 surrogates; JSON can
// carry both (as `\u0000`, `\ud800`). A lead must not be refused for them, so they are dropped/replaced.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storableString(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

/** A copy of a parsed JSON value whose strings (keys included) PostgreSQL can store. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableString(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [storableString(key), storableJson(item)]),
    );
  }
  return value;
}

/** Both characters can only reach a parsed value through a `\u` escape in the JSON text. */
export function mayHoldUnstorableText(json: Buffer): boolean {
  return json.includes('\\u');
}
