type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaObject = { [key: string]: Json };

// Keywords that describe the value as a whole, so they stay beside the union rather than inside a branch.
const ANNOTATIONS = [
  'title',
  'description',
  'default',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
];

const isObject = (value: Json): value is SchemaObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Rewrites OpenAPI 3.0's `nullable` keyword, which @nestjs/swagger 11.4 emits whatever version the
 * document declares, into the JSON Schema 2020-12 that OpenAPI 3.1 speaks: `{ type: 'string',
 * nullable: true }` becomes `{ type: ['string', 'null'] }`, and a nullable reference (`allOf: [{ $ref }]`,
 * or any other schema without a `type`) becomes `anyOf: [{ ... }, { type: 'null' }]`. `nullable: false`
 * is dropped. A 3.1 validator ignores `nullable`, so without this a nullable field would reject `null`.
 */
export function withOpenApi31Nullability<T>(document: T): T {
  return rewrite(document as Json) as T;
}

function rewrite(value: Json): Json {
  if (Array.isArray(value)) return value.map(rewrite);
  if (!isObject(value)) return value;
  const rewritten = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, rewrite(child)]));
  if (!('nullable' in rewritten)) return rewritten;
  const { nullable, ...schema } = rewritten;
  return nullable === true ? nullableSchema(schema) : schema;
}

function nullableSchema(schema: SchemaObject): SchemaObject {
  const { type, enum: values } = schema;
  const composite = 'allOf' in schema || 'anyOf' in schema || 'oneOf' in schema;
  if (typeof type === 'string' && !composite) {
    return {
      ...schema,
      type: [type, 'null'],
      ...(Array.isArray(values) && !values.includes(null) ? { enum: [...values, null] } : {}),
    };
  }
  const annotations: SchemaObject = {};
  const constraints: SchemaObject = {};
  for (const [key, child] of Object.entries(schema)) {
    (ANNOTATIONS.includes(key) ? annotations : constraints)[key] = child;
  }
  return { ...annotations, anyOf: [referenceOnly(constraints) ?? constraints, { type: 'null' }] };
}

/** @nestjs/swagger spells a nullable reference `{ type: 'object', allOf: [{ $ref }] }`: the reference is the branch. */
function referenceOnly({ type, allOf, ...others }: SchemaObject): SchemaObject | undefined {
  const only = Object.keys(others).length === 0 && (type === undefined || type === 'object');
  return only && Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) ? allOf[0] : undefined;
}
