import { LEAD_DELIVERY_V1, LEAD_ENRICHED_V1, LEAD_RECEIVED_V1 } from '@lead-delivery/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import { formatLike } from '../docs/prettier-format';

// The JSON Schemas of our events, cut out of asyncapi/lead-platform.asyncapi.yaml (the one place they are
// written) as standalone draft-07 documents. They are committed in libs/contracts/schemas/events
// (`npm run contracts:schemas`) and published in @lead-delivery/contracts under `schemas/events/`, for
// consumers that validate without an AsyncAPI toolchain.

export const ASYNCAPI_FILE = join(WORKSPACE_ROOT, 'asyncapi', 'lead-platform.asyncapi.yaml');
/** The generated schemas, as committed. */
export const EVENT_SCHEMAS_DIR = join(WORKSPACE_ROOT, 'libs', 'contracts', 'schemas', 'events');
/** The schemas of the last released @lead-delivery/contracts: the baseline of the compatibility check. */
export const RELEASED_SCHEMAS_DIR = join(WORKSPACE_ROOT, 'libs', 'contracts', 'schemas', 'released');

/** Each event's payload schema (components.schemas) → its topic and its file. */
export const EVENT_SCHEMAS = {
  LeadReceivedV1: { topic: LEAD_RECEIVED_V1.topic, file: 'lead-received.v1.schema.json' },
  LeadEnrichedV1: { topic: LEAD_ENRICHED_V1.topic, file: 'lead-enriched.v1.schema.json' },
  LeadDeliveryV1: { topic: LEAD_DELIVERY_V1.topic, file: 'lead-delivery.v1.schema.json' },
} as const;
export type EventSchemaName = keyof typeof EVENT_SCHEMAS;
export const EVENT_SCHEMA_NAMES = Object.keys(EVENT_SCHEMAS) as EventSchemaName[];

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
    $id: `https://lead-delivery.internal/schemas/events/${EVENT_SCHEMAS[name].file}`,
    title: name,
    ...root,
    ...(Object.keys(definitions).length > 0
      ? {
          definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
        }
      : {}),
  };
}

/** File name → schema, for every event. */
export function eventSchemas(document = readAsyncApiDocument()): Record<string, JsonSchema> {
  return Object.fromEntries(
    EVENT_SCHEMA_NAMES.map((name) => [EVENT_SCHEMAS[name].file, eventSchema(document, name)]),
  );
}

/** File name → the file's text exactly as `npm run contracts:schemas` writes it (formatted as Prettier would). */
export function renderedEventSchemas(document = readAsyncApiDocument()): Record<string, string> {
  return Object.fromEntries(
    Object.entries(eventSchemas(document)).map(([file, schema]) => [
      file,
      formatLike(join(EVENT_SCHEMAS_DIR, file), JSON.stringify(schema)),
    ]),
  );
}
