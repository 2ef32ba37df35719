import * as keda from '@kubernetes-models/keda';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import * as kubernetes from 'kubernetes-models';
import type { KubernetesObject } from './render-manifests';

// Validates rendered objects against the Kubernetes OpenAPI schemas (kubernetes-models, Kubernetes 1.27)
// and the CRDs of KEDA and the Prometheus Operator. Strimzi has no such package: its resources are
// checked here against the fields of its v1beta2 API that the manifests use.

interface Model {
  apiVersion: string;
  kind: string;
  prototype: { validate(this: unknown): void };
}

const MODELS = new Map<string, Model>();
(function collect(namespace: unknown, depth: number): void {
  if (depth > 3 || namespace === null || typeof namespace !== 'object') return;
  for (const value of Object.values(namespace)) {
    const model = value as Partial<Model> | undefined;
    if (typeof value === 'function' && model?.apiVersion && model.kind) {
      MODELS.set(`${model.apiVersion}/${model.kind}`, value as unknown as Model);
    } else collect(value, depth + 1);
  }
})({ kubernetes, keda, prometheusOperator }, 0);

/** Every problem of one object: schema violations, then fields the schema does not know (typos). */
export function schemaProblems(object: KubernetesObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  if (key.startsWith('kafka.strimzi.io/')) return strimziProblems(object);
  const model = MODELS.get(key);
  if (!model) return [`no schema for ${key}`];
  const read = new Set<unknown>();
  const subject = withUnwrappedSecretData(object);
  const tracked = track(subject, read);
  try {
    model.prototype.validate.call(tracked);
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    return (
      errors?.map((problem) => `${problem.instancePath || '/'} ${problem.message}`) ?? [
        (error as Error).message,
      ]
    );
  }
  return unknownFields(subject, read, '');
}

/**
 * kustomize wraps the base64 of generated Secrets at 70 columns; the API server's decoder skips the line
 * breaks, the schema's `byte` format does not.
 */
function withUnwrappedSecretData(object: KubernetesObject): KubernetesObject {
  const data = object['data'];
  if (object.kind !== 'Secret' || data === null || typeof data !== 'object') return object;
  return {
    ...object,
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key,
        typeof value === 'string' ? value.replace(/\s/g, '') : value,
      ]),
    ),
  };
}

/**
 * A view of `value` that records every property the validator reads: the compiled validators read each
 * property their schema declares, so a property never read is one the schema does not know.
 */
function track(value: unknown, read: Set<unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, property, receiver) {
      const child = Reflect.get(target, property, receiver) as unknown;
      if (typeof property === 'string' && Object.prototype.hasOwnProperty.call(target, property)) {
        read.add(`${identity(target)}:${property}`);
      }
      return track(child, read);
    },
  });
}

const identities = new WeakMap<object, number>();
let lastIdentity = 0;
function identity(target: object): number {
  if (!identities.has(target)) identities.set(target, ++lastIdentity);
  return identities.get(target) as number;
}

function unknownFields(value: unknown, read: Set<unknown>, path: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([property, child]) => {
    const childPath = `${path}/${property}`;
    if (!Array.isArray(value) && !read.has(`${identity(value)}:${property}`)) {
      return [`${childPath} is not a field of this kind`];
    }
    return unknownFields(child, read, childPath);
  });
}

// Strimzi v1beta2: the fields these manifests use, with their types.
const STRIMZI_SPECS: Record<string, (spec: Record<string, unknown>) => string[]> = {
  KafkaTopic: (spec) => [
    ...expectFields(spec, {
      topicName: 'string',
      partitions: 'integer',
      replicas: 'integer',
      config: 'object',
    }),
    ...Object.entries((spec['config'] as Record<string, unknown>) ?? {})
      .filter(([, value]) => !['string', 'number', 'boolean'].includes(typeof value))
      .map(([name]) => `/spec/config/${name} must be a string, number or boolean`),
    ...(Number(spec['partitions']) >= 1 ? [] : ['/spec/partitions must be at least 1']),
    ...(Number(spec['replicas']) >= 1 ? [] : ['/spec/replicas must be at least 1']),
  ],
  KafkaNodePool: (spec) =>
    expectFields(spec, { replicas: 'integer', roles: 'array', storage: 'object', resources: 'object' }, [
      'replicas',
      'roles',
      'storage',
    ]),
  Kafka: (spec) =>
    expectFields(spec, { kafka: 'object', entityOperator: 'object', kafkaExporter: 'object' }, ['kafka']),
};

function strimziProblems(object: KubernetesObject): string[] {
  if (object.apiVersion !== 'kafka.strimzi.io/v1beta2')
    return [`${object.apiVersion} is not Strimzi's v1beta2 API`];
  const check = STRIMZI_SPECS[object.kind];
  if (!check) return [`no schema for kafka.strimzi.io/v1beta2/${object.kind}`];
  const metadata = object.metadata ?? {};
  return [
    ...(typeof metadata.name === 'string' && /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(metadata.name)
      ? []
      : ['/metadata/name must be a DNS subdomain']),
    ...(object.kind !== 'Kafka' && !metadata.labels?.['strimzi.io/cluster']
      ? ['/metadata/labels/strimzi.io~1cluster is required (the Kafka cluster it belongs to)']
      : []),
    ...check((object['spec'] as Record<string, unknown>) ?? {}),
  ];
}

type FieldType = 'string' | 'integer' | 'object' | 'array';

function expectFields(
  spec: Record<string, unknown>,
  fields: Record<string, FieldType>,
  required: string[] = Object.keys(fields),
): string[] {
  return [
    ...Object.keys(spec)
      .filter((name) => !(name in fields))
      .map((name) => `/spec/${name} is not a field this check knows; add it to STRIMZI_SPECS if it is valid`),
    ...required.filter((name) => spec[name] === undefined).map((name) => `/spec/${name} is required`),
    ...Object.entries(fields)
      .filter(([name, type]) => spec[name] !== undefined && !hasType(spec[name], type))
      .map(([name, type]) => `/spec/${name} must be ${type === 'integer' ? 'an' : 'a'} ${type}`),
  ];
}

function hasType(value: unknown, type: FieldType): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value);
  return typeof value === type;
}
