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

  it('validates custom resources of KEDA and the Prometheus Operator, and knows Strimzi topics', () => {
    const scaledObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'persistence' },
      spec: { scaleTargetRef: { name: 'persistence' }, triggers: [{ type: 'kafka', metadta: {} }] },
    } as KubernetesObject;
    expect(schemaProblems(scaledObject)).toEqual(['/spec/triggers/0 must have required property metadata']);
    const topic = {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: 'leads.received.v1', labels: {} },
      spec: { topicName: 'leads.received.v1', partitions: 0, replicas: 1, config: {}, retention: 1 },
    } as KubernetesObject;
    expect(schemaProblems(topic)).toEqual([
      '/metadata/labels/strimzi.io~1cluster is required (the Kafka cluster it belongs to)',
      '/spec/retention is not a field this check knows; add it to STRIMZI_SPECS if it is valid',
      '/spec/partitions must be at least 1',
    ]);
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(
      ['no schema for example.com/v1/Widget'],
    );
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
