import * as gatewayApi from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import * as keda from '@kubernetes-models/keda';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import * as strimzi from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1';
import * as kubernetes from 'kubernetes-models';
import type { KubernetesObject } from './render-manifests';

// Validates rendered objects against the Kubernetes OpenAPI schemas (kubernetes-models, Kubernetes 1.27)
// and the custom resource schemas of KEDA, the Prometheus Operator, Strimzi (kafka.strimzi.io/v1 only)
// and the Gateway API (gateway.networking.k8s.io/v1), all from @kubernetes-models packages.

const STRIMZI_GROUP = 'kafka.strimzi.io';
/** Strimzi 1.0 and later serve only this version of its group; the models also carry the older ones. */
export const STRIMZI_API_VERSION = `${STRIMZI_GROUP}/v1`;

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
})({ kubernetes, keda, prometheusOperator, strimzi, gatewayApi }, 0);

/** Every problem of one object: schema violations, then fields the schema does not know (typos). */
export function schemaProblems(object: KubernetesObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  if (key.startsWith(`${STRIMZI_GROUP}/`) && object.apiVersion !== STRIMZI_API_VERSION) {
    return [`${object.apiVersion} is not served by Strimzi 1.0 and later (use ${STRIMZI_API_VERSION})`];
  }
  const model = MODELS.get(key);
  if (!model) return [`no schema for ${key}`];
  const read = new Set<unknown>();
  const subject = withUnwrappedSecretData(object);
  return [
    ...clusterLabelProblems(object),
    ...violations(model, track(subject, read)),
    ...unknownFields(subject, read, ''),
  ];
}

/**
 * The model's schema violations. Its compiled validator collects every error rather than stopping at the
 * first, so it reads every declared property even of an invalid object, and the fields it never read are
 * unknown ones either way.
 */
function violations(model: Model, tracked: unknown): string[] {
  try {
    model.prototype.validate.call(tracked);
    return [];
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    return (
      errors?.map((problem) => `${problem.instancePath || '/'} ${problem.message}`) ?? [
        (error as Error).message,
      ]
    );
  }
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
 * A view of `value` that records every property the validator looks up: the compiled validators look up
 * each property their schema declares, so a property never read is one the schema does not know. An object
 * whose properties the validator never looks up at all is free-form (x-kubernetes-preserve-unknown-fields,
 * like a KafkaTopic's `config`): nothing in it is unknown.
 */
function track(value: unknown, read: Set<unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, property, receiver) {
      const child = Reflect.get(target, property, receiver) as unknown;
      if (typeof property === 'string') {
        read.add(identity(target));
        if (Object.prototype.hasOwnProperty.call(target, property))
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
  if (!Array.isArray(value) && !read.has(identity(value))) return [];
  return Object.entries(value).flatMap(([property, child]) => {
    const childPath = `${path}/${property}`;
    if (!Array.isArray(value) && !read.has(`${identity(value)}:${property}`)) {
      return [`${childPath} is not a field of this kind`];
    }
    return unknownFields(child, read, childPath);
  });
}

// The cluster a KafkaTopic, KafkaUser or KafkaNodePool belongs to is a label their schemas cannot require.
const CLUSTER_MEMBERS = ['KafkaTopic', 'KafkaUser', 'KafkaNodePool'];

function clusterLabelProblems(object: KubernetesObject): string[] {
  return object.apiVersion === STRIMZI_API_VERSION &&
    CLUSTER_MEMBERS.includes(object.kind) &&
    !object.metadata?.labels?.['strimzi.io/cluster']
    ? ['/metadata/labels/strimzi.io~1cluster is required (the Kafka cluster it belongs to)']
    : [];
}
