// PostgreSQL text and jsonb cannot hold U+0000, and jsonb rejects unpaired UTF-16 surrogates; JSON can
// carry both (as `\u0000`, `\ud800`). A lead must not be refused for them, so they are dropped/replaced.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storableString(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

type Container = Record<string, unknown> | unknown[];

/** Sets an own property, even one named `__proto__` (as JSON.parse does). */
function place(target: Container, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of a parsed JSON value whose strings (keys included) PostgreSQL can store. Iterative: a record
 * nested thousands of levels deep must not overflow the stack (which would fail its batch on every retry).
 */
export function storableJson(value: unknown): unknown {
  const root: unknown[] = [undefined];
  const pending: Array<[source: unknown, target: Container, key: string | number]> = [[value, root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [source, target, key] = next;
    if (typeof source === 'string') {
      place(target, key, storableString(source));
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      place(target, key, copy);
      source.forEach((item, index) => pending.push([item, copy, index]));
    } else if (source !== null && typeof source === 'object') {
      const copy: Record<string, unknown> = {};
      place(target, key, copy);
      for (const [name, item] of Object.entries(source)) {
        const storableName = storableString(name);
        place(copy, storableName, undefined); // keeps the keys in their order; filled when popped
        pending.push([item, copy, storableName]);
      }
    } else {
      place(target, key, source);
    }
  }
  return root[0];
}

/** Both characters can only reach a parsed value through a `\u` escape in the JSON text. */
export function mayHoldUnstorableText(json: Buffer): boolean {
  return json.includes('\\u');
}
