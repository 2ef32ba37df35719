// The compatibility rule of a versioned event (`v1`): a consumer written against the released schema must
// keep working with every event that the current schema allows. Fields may be added when optional and
// enums may gain values; anything else that changes a field's shape is a breaking change, which needs a
// new event version (`v2`, a new topic) instead.

export type JsonSchema = Record<string, unknown>;

export type BreakingChangeKind =
  'removed' | 'retyped' | 'required-added' | 'required-removed' | 'enum-narrowed';

export interface BreakingChange {
  /** JSON pointer of the field in the event, `*` standing for any array item; `` is the event itself. */
  path: string;
  kind: BreakingChangeKind;
  detail: string;
}

/** One schema with its `$ref` and `allOf` resolved: what the comparison needs of it. */
interface FieldShape {
  /** Sorted JSON types; undefined when the schema allows any type. */
  types?: string[];
  format?: string;
  enum?: unknown[];
  properties: Record<string, JsonSchema>;
  required: Set<string>;
  items?: JsonSchema;
}

// Deeper than any event of ours; reaching it means a recursive $ref, which this check does not support.
const MAX_DEPTH = 32;

export function breakingChanges(released: JsonSchema, current: JsonSchema): BreakingChange[] {
  return compare(shapeOf(released, released), shapeOf(current, current), '', { released, current }, 0);
}

function compare(
  released: FieldShape,
  current: FieldShape,
  path: string,
  roots: { released: JsonSchema; current: JsonSchema },
  depth: number,
): BreakingChange[] {
  if (depth > MAX_DEPTH) throw new Error(`${path}: nested more than ${MAX_DEPTH} levels (a recursive $ref?)`);
  const typeChange = retyping(released, current);
  if (typeChange) return [{ path, kind: 'retyped', detail: typeChange }];

  const changes: BreakingChange[] = [];
  const enumChange = enumNarrowing(released.enum, current.enum);
  if (enumChange) changes.push({ path, kind: 'enum-narrowed', detail: enumChange });
  for (const [name, releasedField] of Object.entries(released.properties)) {
    const fieldPath = `${path}/${name}`;
    const currentField = current.properties[name];
    if (!currentField) {
      changes.push({ path: fieldPath, kind: 'removed', detail: 'the field is gone' });
      continue;
    }
    if (released.required.has(name) && !current.required.has(name)) {
      changes.push({ path: fieldPath, kind: 'required-removed', detail: 'required, now optional' });
    }
    if (!released.required.has(name) && current.required.has(name)) {
      changes.push({ path: fieldPath, kind: 'required-added', detail: 'optional, now required' });
    }
    changes.push(
      ...compare(
        shapeOf(releasedField, roots.released),
        shapeOf(currentField, roots.current),
        fieldPath,
        roots,
        depth + 1,
      ),
    );
  }
  for (const name of Object.keys(current.properties).filter((field) => !(field in released.properties))) {
    if (current.required.has(name)) {
      changes.push({
        path: `${path}/${name}`,
        kind: 'required-added',
        detail: 'a new field must be optional',
      });
    }
  }
  if (released.items && current.items) {
    changes.push(
      ...compare(
        shapeOf(released.items, roots.released),
        shapeOf(current.items, roots.current),
        `${path}/*`,
        roots,
        depth + 1,
      ),
    );
  }
  return changes;
}

function retyping(released: FieldShape, current: FieldShape): string | undefined {
  const types = (shape: FieldShape) => shape.types?.join(' | ') ?? 'any';
  if (types(released) !== types(current)) return `${types(released)} → ${types(current)}`;
  if (released.format !== current.format) {
    return `format ${released.format ?? '(none)'} → ${current.format ?? '(none)'}`;
  }
  return undefined;
}

function enumNarrowing(released: unknown[] | undefined, current: unknown[] | undefined): string | undefined {
  if (!current) return undefined;
  if (!released) return `now limited to ${JSON.stringify(current)}`;
  const dropped = released.filter((value) => !current.some((allowed) => sameJson(allowed, value)));
  return dropped.length > 0
    ? `no longer allows ${dropped.map((value) => JSON.stringify(value)).join(', ')}`
    : undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function shapeOf(schema: JsonSchema, root: JsonSchema): FieldShape {
  const parts = partsOf(schema, root);
  const shape: FieldShape = { properties: {}, required: new Set() };
  for (const part of parts) {
    const types = typesOf(part);
    if (types) shape.types = shape.types ? shape.types.filter((type) => types.includes(type)) : types;
    const values = valuesOf(part);
    if (values)
      shape.enum = shape.enum ? shape.enum.filter((v) => values.some((w) => sameJson(v, w))) : values;
    shape.format ??= typeof part['format'] === 'string' ? part['format'] : undefined;
    shape.items ??= part['items'] as JsonSchema | undefined;
    for (const name of (part['required'] as string[] | undefined) ?? []) shape.required.add(name);
    for (const [name, field] of Object.entries((part['properties'] as Record<string, JsonSchema>) ?? {})) {
      const earlier = shape.properties[name];
      shape.properties[name] = earlier ? { allOf: [earlier, field] } : field;
    }
  }
  return shape;
}

/** The schema itself, its `$ref` target and its `allOf` members, recursively. */
function partsOf(schema: JsonSchema, root: JsonSchema): JsonSchema[] {
  const ref = schema['$ref'];
  const own = typeof ref === 'string' ? partsOf(resolve(ref, root), root) : [schema];
  return [
    ...own,
    ...((schema['allOf'] as JsonSchema[] | undefined) ?? []).flatMap((part) => partsOf(part, root)),
  ];
}

function typesOf(schema: JsonSchema): string[] | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return [...(type as string[])].sort();
  return undefined;
}

function valuesOf(schema: JsonSchema): unknown[] | undefined {
  if (Array.isArray(schema['enum'])) return schema['enum'];
  return 'const' in schema ? [schema['const']] : undefined;
}

/** A local reference (`#/definitions/Lead`, any JSON pointer into the same document). */
function resolve(ref: string, root: JsonSchema): JsonSchema {
  if (!ref.startsWith('#')) throw new Error(`only local $refs can be compared (found ${ref})`);
  const target = ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (node as Record<string, unknown> | undefined)?.[token], root);
  if (target === null || typeof target !== 'object') throw new Error(`${ref} does not resolve`);
  return target as JsonSchema;
}
