import { schemaProblems } from './kubernetes-schemas';
import type { KubernetesObject } from './render-manifests';

const deployment = (
  container: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'gateway' },
  spec: {
    selector: { matchLabels: { app: 'gateway' } },
    template: {
      metadata: { labels: { app: 'gateway' } },
      spec: { containers: [{ name: 'gateway', image: 'gateway:1', ...container }] },
    },
    ...extra,
  },
});

describe('schemaProblems', () => {
  it('accepts a valid object', () => {
    expect(schemaProblems(deployment({ resources: { limits: { cpu: '1', memory: '512Mi' } } }))).toEqual([]);
  });

  it('reports values the schema refuses', () => {
    expect(schemaProblems(deployment({ ports: [{ containerPort: '3000' }] }))).toContain(
      '/spec/template/spec/containers/0/ports/0/containerPort must be integer',
    );
  });

  it('reports fields the schema does not know, however deep', () => {
    expect(
      schemaProblems(
        deployment({ livenesProbe: {}, securityContext: { readOnlyRootFileSystem: true } }, { replica: 2 }),
      ),
    ).toEqual([
      '/spec/template/spec/containers/0/livenesProbe is not a field of this kind',
      '/spec/template/spec/containers/0/securityContext/readOnlyRootFileSystem is not a field of this kind',
      '/spec/replica is not a field of this kind',
    ]);
  });

  it('validates custom resources of KEDA and the Prometheus Operator', () => {
    const scaledObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'persistence' },
      spec: { scaleTargetRef: { name: 'persistence' }, triggers: [{ type: 'kafka', metadta: {} }] },
    } as KubernetesObject;
    expect(schemaProblems(scaledObject)).toEqual([
      '/spec/triggers/0 must have required property metadata',
      '/spec/triggers/0/metadta is not a field of this kind',
    ]);
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(
      ['no schema for example.com/v1/Widget'],
    );
  });

  it('validates Strimzi resources against the kafka.strimzi.io/v1 models (config is free-form), and refuses v1beta2', () => {
    const topic = {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: { name: 'leads.received.v1', labels: {} },
      spec: {
        topicName: 'leads.received.v1',
        partitions: 0,
        replicas: 1,
        config: { 'retention.ms': 604800000, 'cleanup.policy': 'delete' },
        retention: 1,
      },
    } as KubernetesObject;
    expect(schemaProblems(topic)).toEqual([
      '/metadata/labels/strimzi.io~1cluster is required (the Kafka cluster it belongs to)',
      '/spec/partitions must be >= 1',
      '/spec/retention is not a field of this kind',
    ]);
    expect(schemaProblems({ ...topic, apiVersion: 'kafka.strimzi.io/v1beta2' })).toEqual([
      'kafka.strimzi.io/v1beta2 is not served by Strimzi 1.0 and later (use kafka.strimzi.io/v1)',
    ]);
    const user = {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaUser',
      metadata: { name: 'gateway', labels: { 'strimzi.io/cluster': 'lead-platform' } },
      spec: {
        authentication: { type: 'scram-sha-512' },
        authorization: {
          type: 'simple',
          // `operation` (singular) was removed in v1: only `operations` remains.
          acls: [{ resource: { type: 'topic', name: 'leads.received.v1' }, operation: 'Write' }],
        },
      },
    } as KubernetesObject;
    expect(schemaProblems(user)).toEqual([
      '/spec/authorization/acls/0 must have required property operations',
      '/spec/authorization/acls/0/operation is not a field of this kind',
    ]);
  });

  it('validates Gateway API routes against the gateway.networking.k8s.io/v1 models', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'gateway' },
      spec: {
        parentRefs: [{ name: 'lead-platform' }],
        rules: [
          {
            matches: [{ path: { type: 'Exact', value: '/lead-delivery' }, method: 'FETCH' }],
            backendRefs: [{ name: 'gateway', port: 80, weigth: 1 }],
          },
        ],
      },
    } as KubernetesObject;
    expect(schemaProblems(route)).toEqual([
      '/spec/rules/0/matches/0/method must be equal to one of the allowed values',
      '/spec/rules/0/backendRefs/0/weigth is not a field of this kind',
    ]);
  });

  it('accepts the line-wrapped base64 kustomize writes into generated Secrets', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { KEY: 'cG9zdGdyZXM6Ly9sZWFkX2Rl\nbGl2ZXJ5' },
    };
    expect(schemaProblems(secret as KubernetesObject)).toEqual([]);
  });
});
