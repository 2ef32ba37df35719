// JSON as text, so that it can say what JSON.stringify cannot: raw number tokens (`1e400`, `-0`,
// 400-digit integers), repeated keys, nesting thousands deep. Rendering is iterative: a value nested
// 5,000 deep must not overflow the test's own stack.

export type JsonText =
  /** A token written as is: a number, `true`, `null`, or any text at all (malformed on purpose). */
  | { raw: string }
  /** A string, escaped as JSON.stringify escapes it (lone surrogates as `\uD800`). */
  | { string: string }
  | { array: JsonText[] }
  /** Keys may repeat: JSON.parse keeps the last, other parsers the first. */
  | { object: Array<[string, JsonText]> }
  /** `nest` arrays (`[[[…]]]`) or objects (`{"k":{"k":…}}`) around `inner`. */
  | { nest: number; style: 'array' | 'object'; inner: JsonText }
  /** `count` copies of `item`: array items, distinct keys (`k0`, `k1`, …) or one key repeated. */
  | { wide: number; style: 'array' | 'object' | 'same-key'; item: JsonText };

type Step = { value: JsonText } | { text: string };

/** The JSON text of `value`. */
export function renderJson(value: JsonText): string {
  const out: string[] = [];
  const stack: Step[] = [{ value }];
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if ('text' in step) {
      out.push(step.text);
      continue;
    }
    const node = step.value;
    if ('raw' in node) out.push(node.raw);
    else if ('string' in node) out.push(JSON.stringify(node.string));
    else if ('array' in node) {
      const steps: Step[] = [{ text: '[' }];
      node.array.forEach((item, index) => steps.push(...(index > 0 ? [{ text: ',' }] : []), { value: item }));
      steps.push({ text: ']' });
      stack.push(...steps.reverse());
    } else if ('object' in node) {
      const steps: Step[] = [{ text: '{' }];
      node.object.forEach(([key, item], index) =>
        steps.push({ text: `${index > 0 ? ',' : ''}${JSON.stringify(key)}:` }, { value: item }),
      );
      steps.push({ text: '}' });
      stack.push(...steps.reverse());
    } else if ('wide' in node) {
      const steps: Step[] = [{ text: node.style === 'array' ? '[' : '{' }];
      for (let index = 0; index < node.wide; index++) {
        const key = node.style === 'array' ? '' : node.style === 'same-key' ? '"k":' : `"k${index}":`;
        steps.push({ text: `${index > 0 ? ',' : ''}${key}` }, { value: node.item });
      }
      steps.push({ text: node.style === 'array' ? ']' : '}' });
      stack.push(...steps.reverse());
    } else {
      const [open, close] = node.style === 'array' ? ['[', ']'] : ['{"k":', '}'];
      stack.push({ text: close.repeat(node.nest) }, { value: node.inner }, { text: open.repeat(node.nest) });
    }
  }
  return out.join('');
}

/** The JsonText of a plain JSON value (e.g. a lead from the factory), to be mutated before rendering. */
export function toJsonText(value: unknown): JsonText {
  if (Array.isArray(value)) return { array: value.map(toJsonText) };
  if (typeof value === 'object' && value !== null)
    return { object: Object.entries(value).map(([key, item]) => [key, toJsonText(item)]) };
  if (typeof value === 'string') return { string: value };
  return { raw: JSON.stringify(value) ?? 'null' };
}
