import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from '../docs/app-configs';

// The JSON Schemas of our three events, cut out of asyncapi/lead-platform.asyncapi.yaml (the one place
// they are written) as standalone draft-07 documents: published in @lead-delivery/contracts under
// `schemas/events/`, for consumers that validate without an AsyncAPI toolchain.

export const ASYNCAPI_FILE = join(WORKSPACE_ROOT, 'asyncapi', 'lead-platform.asyncapi.yaml');

/** Event payload schema (components.schemas) → file name in the package. */
export const EVENT_SCHEMA_FILES = {
  LeadReceivedV1: 'lead-received.v1.schema.json',
  LeadEnrichedV1: 'lead-enriched.v1.schema.json',
  LeadDeliveryV1: 'lead-delivery.v1.schema.json',
} as const;
export type EventSchemaName = keyof typeof EVENT_SCHEMA_FILES;

export type JsonSchema = Record<string, unknown>;

const COMPONENT_REF = /^#\/components\/schemas\/(.+)$/;

export function readAsyncApiDocument(file = ASYNCAPI_FILE): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function componentSchemas(document: Record<string, unknown>): Record<string, JsonSchema> {
  return ((document['components'] as { schemas?: Record<string, JsonSchema> } | undefined)?.schemas ??
    {}) as Record<string, JsonSchema>;
}

/** One event's payload schema with every component it uses under `definitions`. */
export function eventSchema(document: Record<string, unknown>, name: EventSchemaName): JsonSchema {
  const schemas = componentSchemas(document);
  const used = new Set<string>();
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => {
        const component =
          key === '$ref' && typeof child === 'string' ? COMPONENT_REF.exec(child)?.[1] : undefined;
        if (key === '$ref' && typeof child === 'string' && !component) {
          throw new Error(`${name}: only #/components/schemas references can be bundled (found ${child})`);
        }
        if (component === undefined) return [key, rewrite(child)];
        if (!schemas[component]) throw new Error(`${name}: ${child} does not exist`);
        used.add(component);
        return [key, `#/definitions/${component}`];
      }),
    );
  };
  if (!schemas[name]) throw new Error(`the AsyncAPI document has no components.schemas.${name}`);
  const root = rewrite(schemas[name]) as JsonSchema;
  const definitions: Record<string, JsonSchema> = {};
  for (let added = true; added;) {
    added = false;
    for (const component of [...used].filter((candidate) => !(candidate in definitions))) {
      definitions[component] = rewrite(schemas[component]) as JsonSchema;
      added = true;
    }
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://lead-delivery.internal/schemas/events/${EVENT_SCHEMA_FILES[name]}`,
    title: name,
    ...root,
    ...(Object.keys(definitions).length > 0
      ? {
          definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
        }
      : {}),
  };
}

export function eventSchemas(document = readAsyncApiDocument()): Record<string, JsonSchema> {
  return Object.fromEntries(
    (Object.keys(EVENT_SCHEMA_FILES) as EventSchemaName[]).map((name) => [
      EVENT_SCHEMA_FILES[name],
      eventSchema(document, name),
    ]),
  );
}
