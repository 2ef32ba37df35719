import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

// The component schemas of an OpenAPI 3.1 document compiled with ajv as the JSON Schema 2020-12 they
// are: compiling checks them against the 2020-12 meta-schema (strict: no unknown or 3.0-only keywords).

const DOCUMENT_ID = 'https://persistence.invalid/read-api.openapi.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `#/components/schemas/X` → `#/$defs/X`; with `closed`, objects also refuse undocumented members. */
function asDefinitions(value: Json, closed: boolean): Json {
  if (Array.isArray(value)) return value.map((child) => asDefinitions(child, closed));
  if (value === null || typeof value !== 'object') return value;
  const copy = Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, asDefinitions(child, closed)]),
  );
  if (typeof copy.$ref === 'string') copy.$ref = copy.$ref.replace('#/components/schemas/', '#/$defs/');
  if (closed && copy.properties !== undefined && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

/**
 * A validator for each component schema. `closed` makes every documented object refuse members it does
 * not list, so a response field missing from the document fails as surely as a documented one missing.
 */
export function componentValidators(
  document: OpenAPIObject,
  { closed = false } = {},
): (schemaName: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('example'); // an OpenAPI keyword (deprecated in 3.1, still valid)
  const schemas = (document.components?.schemas ?? {}) as Json;
  ajv.addSchema({ $id: DOCUMENT_ID, $defs: asDefinitions(schemas, closed) });
  return (schemaName) => {
    // `Name[]`: an array of the component (a response listing records).
    const name = schemaName.replace(/\[\]$/, '');
    const validate = ajv.getSchema(`${DOCUMENT_ID}#/$defs/${name}`);
    if (!validate) throw new Error(`the document has no schema ${name}`);
    if (name === schemaName) return validate;
    return ajv.compile({ type: 'array', items: { $ref: `${DOCUMENT_ID}#/$defs/${name}` } });
  };
}

/** The component schema an operation's response (by status) has, e.g. `LeadPageDocument`. */
export function responseSchemaName(
  document: OpenAPIObject,
  method: 'get' | 'post',
  path: string,
  status: number,
): string {
  const response = document.paths[path]?.[method]?.responses[String(status)] as
    | { content?: Record<string, { schema?: { $ref?: string; type?: string; items?: { $ref?: string } } }> }
    | undefined;
  const schema = Object.values(response?.content ?? {})[0]?.schema;
  const ref = schema?.$ref ?? (schema?.type === 'array' ? schema.items?.$ref : undefined);
  if (!ref) throw new Error(`${method.toUpperCase()} ${path} documents no ${status} response schema`);
  const name = ref.replace('#/components/schemas/', '');
  return schema?.$ref ? name : `${name}[]`;
}
