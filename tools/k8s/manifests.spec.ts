import { CONSUMER_GROUPS, topicCatalogue } from '@lead-delivery/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appConfigurations, WORKSPACE_ROOT, type AppConfiguration } from '../docs/app-configs';
import { environmentProblems, literalSecrets, unmountedFiles } from './app-environment';
import { schemaProblems } from './kubernetes-schemas';
import { containerEnvironment, secretReferences, workloadsOf, type Workload } from './pod-templates';
import { ofKind, overlayNames, renderOverlay, type KubernetesObject } from './render-manifests';

// Renders every overlay with `kubectl kustomize` and checks what a cluster would otherwise only reveal
// at deploy time, or in an incident.

const overlays = overlayNames();
const rendered = new Map(overlays.map((overlay) => [overlay, renderOverlay(overlay)]));
const apps: AppConfiguration[] = appConfigurations();

const objectsOf = (overlay: string) => rendered.get(overlay) as KubernetesObject[];
const PART_OF = 'app.kubernetes.io/part-of';
const NAME = 'app.kubernetes.io/name';
const platformWorkloads = (overlay: string) =>
  workloadsOf(objectsOf(overlay)).filter(
    (workload) => workload.spec.template.metadata.labels[PART_OF] === 'lead-platform',
  );
const deployments = (overlay: string) =>
  platformWorkloads(overlay).filter((workload) => workload.kind === 'Deployment');
const describe_ = (object: KubernetesObject) => `${object.kind}/${object.metadata.name}`;

it('has the dev and prod overlays', () => {
  expect(overlays).toEqual(expect.arrayContaining(['dev', 'prod']));
});

describe.each(overlays)('overlay %s', (overlay) => {
  it('renders objects that the Kubernetes, KEDA, Prometheus Operator and Strimzi schemas accept, with no unknown field', () => {
    const problems = objectsOf(overlay).flatMap((object) =>
      schemaProblems(object).map((problem) => `${describe_(object)}: ${problem}`),
    );
    expect(problems).toEqual([]);
    expect(objectsOf(overlay).length).toBeGreaterThan(40);
  });

  it('deploys every app (crm-sandbox only outside prod), each in a container named after it', () => {
    const deployed = deployments(overlay).map(
      (deployment) => deployment.spec.template.spec.containers[0].name,
    );
    const expected = apps.map((app) => app.app).filter((app) => overlay !== 'prod' || app !== 'crm-sandbox');
    expect(deployed.sort()).toEqual(expect.arrayContaining(expected));
    if (overlay === 'prod') expect(deployed).not.toContain('crm-sandbox');
  });

  it('gives every Deployment probes on the health endpoints, requests and limits', () => {
    const problems = deployments(overlay).flatMap((deployment) =>
      deployment.spec.template.spec.containers.flatMap((container) => {
        const where = `${describe_(deployment)} ${container.name}`;
        return [
          ...(container.livenessProbe?.httpGet?.path === '/health/live'
            ? []
            : [`${where}: livenessProbe on /health/live`]),
          ...(container.readinessProbe?.httpGet?.path === '/health/ready'
            ? []
            : [`${where}: readinessProbe on /health/ready`]),
          ...(container.startupProbe?.httpGet?.path === '/health/live'
            ? []
            : [`${where}: startupProbe on /health/live`]),
          ...['requests', 'limits'].flatMap((bound) =>
            ['cpu', 'memory']
              .filter((resource) => !container.resources?.[bound as 'requests' | 'limits']?.[resource])
              .map((resource) => `${where}: resources.${bound}.${resource}`),
          ),
        ];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('runs every pod of the platform non-root, read-only, without privilege escalation or capabilities', () => {
    const problems = platformWorkloads(overlay).flatMap((workload) => {
      const pod = workload.spec.template.spec;
      return [
        ...(pod.securityContext?.runAsNonRoot === true ? [] : ['pod securityContext.runAsNonRoot']),
        ...((pod.securityContext?.runAsUser ?? 0) > 0
          ? []
          : ['pod securityContext.runAsUser (numeric, not 0)']),
        ...(pod.securityContext?.seccompProfile?.type === 'RuntimeDefault'
          ? []
          : ['pod seccompProfile RuntimeDefault']),
        ...(pod.automountServiceAccountToken === false ? [] : ['automountServiceAccountToken: false']),
        ...pod.containers.flatMap((container) => {
          const context = container.securityContext;
          return [
            ...(context?.allowPrivilegeEscalation === false ? [] : ['allowPrivilegeEscalation: false']),
            ...(context?.readOnlyRootFilesystem === true ? [] : ['readOnlyRootFilesystem: true']),
            ...(context?.runAsNonRoot === true ? [] : ['runAsNonRoot: true']),
            ...(context?.capabilities?.drop?.includes('ALL') && !context.capabilities.add?.length
              ? []
              : ['capabilities: drop ALL, add none']),
            ...(context?.privileged ? ['not privileged'] : []),
            ...(/:[\w][\w.-]*$|@sha256:/.test(container.image) && !container.image.endsWith(':latest')
              ? []
              : [`image ${container.image} pinned to a tag other than latest`]),
          ].map((problem) => `${container.name}: ${problem}`);
        }),
      ].map((problem) => `${describe_(workload)}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it('gives every app its ServiceAccount, a PodDisruptionBudget when it has several replicas, and its autoscaler', () => {
    const objects = objectsOf(overlay);
    const named = (kind: string, name: string) =>
      objects.some((object) => object.kind === kind && object.metadata.name === name);
    const problems = deployments(overlay).flatMap((deployment) => {
      const name = deployment.metadata.name;
      const pod = deployment.spec.template.spec;
      const scaled = named('HorizontalPodAutoscaler', name) || named('ScaledObject', name);
      return [
        ...(pod.serviceAccountName && named('ServiceAccount', pod.serviceAccountName)
          ? []
          : ['its ServiceAccount']),
        ...(!scaled || named('PodDisruptionBudget', name) ? [] : ['a PodDisruptionBudget']),
        ...(name === 'gateway' && !named('HorizontalPodAutoscaler', name) ? ['an HPA'] : []),
        ...(['consumer', 'connector'].includes(
          deployment.metadata.labels?.['app.kubernetes.io/component'] ?? '',
        ) && !named('ScaledObject', name)
          ? ['a KEDA ScaledObject']
          : []),
      ].map((missing) => `${name} lacks ${missing}`);
    });
    expect(problems).toEqual([]);
  });

  it('scales every consumer group of libs/contracts on its Kafka lag, and no other', () => {
    const scaled = ofKind<{
      spec: {
        scaleTargetRef: { name: string };
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string> }[];
      };
    }>(objectsOf(overlay), 'ScaledObject');
    const groups = scaled.flatMap((object) =>
      object.spec.triggers
        .filter((trigger) => trigger.type === 'kafka')
        .map((trigger) => trigger.metadata['consumerGroup']),
    );
    expect(groups.sort()).toEqual(Object.values(CONSUMER_GROUPS).sort());
    const partitions = Math.max(...topicCatalogue().map((topic) => topic.partitions));
    scaled.forEach((object) => expect(object.spec.maxReplicaCount).toBeLessThanOrEqual(partitions));
  });

  it('creates exactly the topics of libs/contracts, with their partitions and retention', () => {
    const topics = ofKind<{
      spec: { topicName: string; partitions: number; replicas: number; config: Record<string, number> };
    }>(objectsOf(overlay), 'KafkaTopic');
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(
      topics
        .map(({ spec }) => ({
          name: spec.topicName,
          partitions: spec.partitions,
          retentionMs: spec.config['retention.ms'],
        }))
        .sort(byName),
    ).toEqual(
      topicCatalogue()
        .map(({ name, partitions, retentionMs }) => ({ name, partitions, retentionMs }))
        .sort(byName),
    );
    const pools = ofKind<{ spec: { replicas: number; roles: string[] } }>(
      objectsOf(overlay),
      'KafkaNodePool',
    );
    const brokers = pools
      .filter((pool) => pool.spec.roles.includes('broker'))
      .reduce((sum, pool) => sum + pool.spec.replicas, 0);
    topics.forEach(({ spec }) => {
      if (pools.length > 0) expect(spec.replicas).toBeLessThanOrEqual(brokers);
      expect(spec.config['min.insync.replicas']).toBeLessThanOrEqual(spec.replicas);
    });
  });

  it('provides every variable each app requires, only variables it reads, valid values, and its files', () => {
    const objects = objectsOf(overlay);
    const problems = deployments(overlay).flatMap((deployment) => {
      const container = deployment.spec.template.spec.containers[0];
      const app = apps.find((candidate) => candidate.app === container.name);
      if (!app) return [`${describe_(deployment)}: no app ${container.name} with src/app.config.ts`];
      const { provided, problems: references } = containerEnvironment(container, objects);
      const mounts = (container.volumeMounts ?? []).map((mount) => mount.mountPath);
      return [
        ...references,
        ...environmentProblems(app, provided),
        ...literalSecrets(app, provided),
        ...unmountedFiles(provided, mounts),
        ...mountedFilesMissing(deployment, provided, objects),
      ].map((problem) => `${describe_(deployment)}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it('runs the persistence migrations in a Job with the database secret', () => {
    const job = workloadsOf(objectsOf(overlay)).find(
      (workload) => workload.metadata.name === 'persistence-migrate',
    );
    const container = job?.spec.template.spec.containers[0];
    expect(container?.args).toEqual(['node', 'migrate.js', 'run']);
    expect(container?.image).toBe(
      deployments(overlay).find((deployment) => deployment.metadata.name === 'persistence')?.spec.template
        .spec.containers[0].image,
    );
    expect(
      container?.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef,
    ).toBeDefined();
  });

  it('denies all traffic by default and admits the ingress controller to the gateway only, behind TLS', () => {
    const policies = ofKind<{
      metadata: { name: string };
      spec: {
        podSelector: { matchLabels?: Record<string, string> };
        policyTypes: string[];
        ingress?: { from?: { namespaceSelector?: { matchLabels?: Record<string, string> } }[] }[];
        egress?: unknown[];
      };
    }>(objectsOf(overlay), 'NetworkPolicy');
    const defaultDeny = policies.find(
      (policy) =>
        policy.spec.podSelector.matchLabels?.[PART_OF] === 'lead-platform' &&
        Object.keys(policy.spec.podSelector.matchLabels).length === 1 &&
        policy.spec.policyTypes.includes('Ingress') &&
        policy.spec.policyTypes.includes('Egress') &&
        !policy.spec.ingress &&
        !policy.spec.egress,
    );
    expect(defaultDeny).toBeDefined();
    const fromIngressController = policies.filter((policy) =>
      (policy.spec.ingress ?? []).some((rule) =>
        (rule.from ?? []).some(
          (peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-nginx',
        ),
      ),
    );
    expect(fromIngressController.map((policy) => policy.spec.podSelector.matchLabels)).toEqual([
      { [NAME]: 'gateway' },
    ]);

    const ingresses = ofKind<{
      spec: {
        tls?: { hosts: string[]; secretName: string }[];
        rules: { host: string; http: { paths: { backend: { service: { name: string } } }[] } }[];
      };
    }>(objectsOf(overlay), 'Ingress');
    expect(
      ingresses.flatMap(({ spec }) =>
        spec.rules.flatMap((rule) => rule.http.paths.map((path) => path.backend.service.name)),
      ),
    ).toEqual(['gateway']);
    ingresses.forEach(({ spec }) =>
      expect(spec.tls?.flatMap((tls) => tls.hosts).sort()).toEqual(
        spec.rules.map((rule) => rule.host).sort(),
      ),
    );
  });

  it(
    overlay === 'prod'
      ? 'documents every Secret it expects in k8s/README.md'
      : 'brings every Secret its pods use',
    () => {
      const objects = objectsOf(overlay);
      const references = platformWorkloads(overlay).flatMap((workload) =>
        secretReferences(workload.spec.template.spec),
      );
      expect(references.length).toBeGreaterThan(0);
      if (overlay === 'prod') {
        const readme = readFileSync(join(WORKSPACE_ROOT, 'k8s', 'README.md'), 'utf8');
        const undocumented = references.filter(
          ({ name, key }) => !readme.includes(`\`${name}\``) || (key && !readme.includes(`\`${key}\``)),
        );
        expect(undocumented).toEqual([]);
      } else {
        const missing = references.filter(({ name, key }) => {
          const secret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === name);
          return !secret || (key !== undefined && !(key in ((secret['data'] as object) ?? {})));
        });
        expect(missing).toEqual([]);
      }
    },
  );
});

const overlaysWithSandbox = overlays.filter((overlay) =>
  deployments(overlay).some((deployment) => deployment.metadata.name === 'crm-sandbox'),
);

describe.each(overlaysWithSandbox)('overlay %s (with crm-sandbox)', (overlay) => {
  it('points every connector at crm-sandbox', () => {
    const objects = objectsOf(overlay);
    const connectors = deployments(overlay).filter(
      (deployment) => deployment.metadata.labels?.['app.kubernetes.io/component'] === 'connector',
    );
    expect(connectors.length).toBeGreaterThan(0);
    connectors.forEach((deployment) => {
      const urls = urlVariables(deployment, objects);
      expect({ [deployment.metadata.name]: urls.length > 0 }).toEqual({ [deployment.metadata.name]: true });
      urls.forEach(([name, url]) =>
        expect({ [`${deployment.metadata.name} ${name}`]: url }).toEqual({
          [`${deployment.metadata.name} ${name}`]: 'http://crm-sandbox:4010',
        }),
      );
    });
  });
});

describe('overlay dev', () => {
  it.each(['accounts.json', 'routing.json'])(
    "uses the local stack's %s (copy config/local/%s to k8s/overlays/dev/local/ after a change)",
    (file) => {
      expect(readFileSync(join(WORKSPACE_ROOT, 'k8s/overlays/dev/local', file), 'utf8')).toBe(
        readFileSync(join(WORKSPACE_ROOT, 'config/local', file), 'utf8'),
      );
    },
  );
});

/** The `*_URL` variables of a container, with values resolved from ConfigMaps and (rendered) Secrets. */
function urlVariables(deployment: Workload, objects: KubernetesObject[]): [string, string | undefined][] {
  const container = deployment.spec.template.spec.containers[0];
  const { provided } = containerEnvironment(container, objects);
  return [...provided]
    .filter(([name]) => name.endsWith('_URL'))
    .map(([name, value]) => {
      const ref = container.env?.find((variable) => variable.name === name)?.valueFrom?.secretKeyRef;
      if (!ref) return [name, value];
      const secret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === ref.name);
      const encoded = (secret?.['data'] as Record<string, string> | undefined)?.[ref.key];
      return [name, encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8')];
    });
}

/** A `*_FILE` in a ConfigMap or Secret volume must be one of the keys the volume projects. */
function mountedFilesMissing(
  deployment: Workload,
  provided: Map<string, string | undefined>,
  objects: KubernetesObject[],
): string[] {
  const pod = deployment.spec.template.spec;
  const mounts = pod.containers[0].volumeMounts ?? [];
  return [...provided]
    .filter(([name, value]) => name.endsWith('_FILE') && value !== undefined)
    .flatMap(([name, file]) => {
      const mount = mounts.find((candidate) => (file as string).startsWith(`${candidate.mountPath}/`));
      const volume = pod.volumes?.find((candidate) => candidate.name === mount?.name);
      const fileName = (file as string).slice((mount?.mountPath.length ?? 0) + 1);
      if (volume?.configMap) {
        const data = objects.find(
          (object) => object.kind === 'ConfigMap' && object.metadata.name === volume.configMap?.name,
        )?.['data'];
        return data && fileName in (data as object)
          ? []
          : [`${name}: ConfigMap ${volume.configMap.name} has no ${fileName}`];
      }
      if (volume?.secret?.items && !volume.secret.items.some((item) => item.path === fileName)) {
        return [`${name}: Secret volume ${volume.name} does not project ${fileName}`];
      }
      return [];
    });
}
