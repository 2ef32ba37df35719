import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// Validators built from the published CustomResourceDefinitions in tools/k8s/crds (Strimzi, Gateway API;
// see SOURCES.md there). An API server prunes fields its structural schema does not declare; here they
// are reported instead, like the typos they usually are. CEL rules (x-kubernetes-validations) are not
// evaluated: only the OpenAPI part of each schema is.

export const CRDS_DIR = join(__dirname, 'crds');

type Schema = Record<string, unknown>;

interface CustomResourceDefinition {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }[];
  };
}

/** `group/version/Kind` → the served version's OpenAPI schema, for every vendored CRD. */
function servedSchemas(): Map<string, Schema> {
  const schemas = new Map<string, Schema>();
  for (const folder of readdirSync(CRDS_DIR, { withFileTypes: true }).filter((entry) =>
    entry.isDirectory(),
  )) {
    const dir = join(CRDS_DIR, folder.name);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
      for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const crd = document.toJS() as CustomResourceDefinition | null;
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions.filter((candidate) => candidate.served)) {
          if (version.schema)
            schemas.set(
              `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`,
              version.schema.openAPIV3Schema,
            );
        }
      }
    }
  }
  return schemas;
}

/**
 * The OpenAPI schema as JSON Schema with Kubernetes' structural rules made explicit: an object that lists
 * its properties accepts no others (unless x-kubernetes-preserve-unknown-fields), int-or-string accepts
 * both, nullable accepts null.
 */
export function structural(schema: Schema): Schema {
  const result: Schema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'properties' || keyword === 'patternProperties') {
      result[keyword] = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, structural(child)]),
      );
    } else if (['items', 'additionalProperties', 'not'].includes(keyword) && typeof value === 'object') {
      result[keyword] = structural(value as Schema);
    } else if (['anyOf', 'oneOf', 'allOf'].includes(keyword)) {
      result[keyword] = (value as Schema[]).map(structural);
    } else if (!keyword.startsWith('x-kubernetes-') && keyword !== 'nullable') {
      result[keyword] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete result['type'];
    result['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema['nullable'] === true && typeof result['type'] === 'string')
    result['type'] = [result['type'], 'null'];
  if (
    result['properties'] &&
    result['additionalProperties'] === undefined &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    result['additionalProperties'] = false;
  }
  return result;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const schemas = servedSchemas();
const validators = new Map<string, ValidateFunction>();

/** Whether a vendored CRD serves `group/version/Kind`. */
export const hasCrdSchema = (key: string): boolean => schemas.has(key);

/** The group/versions the vendored CRDs serve for one group, e.g. `kafka.strimzi.io/v1`. */
export const servedVersions = (group: string): string[] => [
  ...new Set(
    [...schemas.keys()]
      .filter((key) => key.startsWith(`${group}/`))
      .map((key) => key.split('/').slice(0, 2).join('/')),
  ),
];

/** Problems of one object against its CRD, in the wording of the Kubernetes schema checks. */
export function crdProblems(key: string, object: unknown): string[] {
  const schema = schemas.get(key);
  if (!schema) return [`no schema for ${key}`];
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(structural(schema));
    validators.set(key, validate);
  }
  return validate(object) ? [] : (validate.errors ?? []).filter(relevant).map(describe);
}

/** anyOf/oneOf report every failed branch and then themselves; the summary line is enough. */
function relevant(error: ErrorObject, _index: number, errors: ErrorObject[]): boolean {
  return !errors.some(
    (other) =>
      (other.keyword === 'anyOf' || other.keyword === 'oneOf') &&
      other !== error &&
      error.schemaPath.startsWith(other.schemaPath.replace(/\/(anyOf|oneOf)$/, '/$1/')),
  );
}

function describe(error: ErrorObject): string {
  const path = error.instancePath || '';
  if (error.keyword === 'additionalProperties') {
    const field = (error.params as { additionalProperty: string }).additionalProperty;
    return `${path}/${field.replace(/~/g, '~0').replace(/\//g, '~1')} is not a field of this kind`;
  }
  return `${path || '/'} ${error.message}`;
}
