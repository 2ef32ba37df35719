import * as keda from '@kubernetes-models/keda';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import * as kubernetes from 'kubernetes-models';
import { crdProblems, hasCrdSchema, servedVersions } from './crd-schemas';
import type { KubernetesObject } from './render-manifests';

// Validates rendered objects against the Kubernetes OpenAPI schemas (kubernetes-models, Kubernetes 1.27),
// the CRDs of KEDA and the Prometheus Operator (@kubernetes-models), and the published CRDs of Strimzi
// and the Gateway API vendored in tools/k8s/crds (crd-schemas.ts).

/** The Strimzi release whose CRDs are vendored; it serves only kafka.strimzi.io/v1. */
export const STRIMZI_RELEASE = '1.2.0';
const STRIMZI_GROUP = 'kafka.strimzi.io';

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
  if (key.startsWith(`${STRIMZI_GROUP}/`)) return strimziProblems(object);
  if (hasCrdSchema(key)) return crdProblems(key, object);
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

// The cluster a KafkaTopic, KafkaUser or KafkaNodePool belongs to is a label the CRDs cannot require.
const CLUSTER_MEMBERS = ['KafkaTopic', 'KafkaUser', 'KafkaNodePool'];

function strimziProblems(object: KubernetesObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  if (!hasCrdSchema(key)) {
    const served = servedVersions(STRIMZI_GROUP);
    return served.includes(object.apiVersion)
      ? [`no schema for ${key}`]
      : [`${object.apiVersion} is not served by Strimzi ${STRIMZI_RELEASE} (it serves ${served.join(', ')})`];
  }
  return [
    ...(CLUSTER_MEMBERS.includes(object.kind) && !object.metadata?.labels?.['strimzi.io/cluster']
      ? ['/metadata/labels/strimzi.io~1cluster is required (the Kafka cluster it belongs to)']
      : []),
    ...crdProblems(key, object),
  ];
}
