import type { LeadEnrichedV1 } from '@lead-delivery/contracts';

export type FieldValue = string | number | boolean;

/**
 * Where a CRM field's value comes from, in an account's mapping overrides:
 * `{ "const": "Web" }`, `{ "from": "lead.property.mls_id" }` (a dot path into the enriched event),
 * `{ "template": "{lead.contact.last_name} household" }`, or `null` (do not send the field).
 */
export type FieldSource = null | { const: FieldValue } | { from: string } | { template: string };

const EVENT_ROOTS = ['lead', 'enrichment', 'routing', 'kind'];
const PLACEHOLDER = /\{([^{}]+)\}/g;

/** Checks an override as read from JSON; returns the problem, or undefined when it is usable. */
export function fieldSourceProblem(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length !== 1) {
    return 'must be null, {"const": value}, {"from": "lead.…"} or {"template": "… {lead.…} …"}';
  }
  const source = value as Record<string, unknown>;
  if ('const' in source) {
    return ['string', 'number', 'boolean'].includes(typeof source['const'])
      ? undefined
      : '"const" must be a string, number or boolean';
  }
  if ('from' in source) {
    return typeof source['from'] === 'string' ? pathProblem(source['from']) : '"from" must be a string';
  }
  if ('template' in source) {
    if (typeof source['template'] !== 'string') return '"template" must be a string';
    const paths = [...source['template'].matchAll(PLACEHOLDER)].map((match) => match[1] as string);
    return paths.map(pathProblem).find((problem) => problem !== undefined);
  }
  return 'must be null, {"const": value}, {"from": "lead.…"} or {"template": "… {lead.…} …"}';
}

function pathProblem(path: string): string | undefined {
  const [root] = path.split('.');
  return root && EVENT_ROOTS.includes(root) && !path.split('.').includes('')
    ? undefined
    : `"${path}" is not a path into the enriched event (it starts with ${EVENT_ROOTS.join(', ')})`;
}

/** The value a source gives for one event; undefined when it gives nothing (missing path, blank text). */
export function resolveFieldSource(
  source: Exclude<FieldSource, null>,
  event: LeadEnrichedV1,
): FieldValue | undefined {
  if ('const' in source) return source.const;
  if ('from' in source) return valueAt(event, source.from);
  const text = source.template
    .replace(PLACEHOLDER, (_, path: string) => String(valueAt(event, path) ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? undefined : text;
}

function valueAt(event: LeadEnrichedV1, path: string): FieldValue | undefined {
  let value: unknown = event;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  return typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}
