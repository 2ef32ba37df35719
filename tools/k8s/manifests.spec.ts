import { CONSUMER_GROUPS, topicCatalogue } from '@lead-delivery/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appConfigurations, WORKSPACE_ROOT, type AppConfiguration } from '../docs/app-configs';
import { environmentProblems, literalSecrets, unmountedFiles } from './app-environment';
import { DLQ_CLI_USER, type Acl } from './kafka-users';
import { schemaProblems } from './kubernetes-schemas';
import { containerEnvironment, secretReferences, workloadsOf, type Workload } from './pod-templates';
import { strimziSecrets } from './strimzi-secrets';
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
const kafkaClients = (overlay: string) =>
  deployments(overlay).filter(
    (deployment) => deployment.spec.template.metadata.labels['lead-platform/kafka-client'] === 'true',
  );

interface KafkaResource {
  spec: {
    kafka: {
      listeners: { name: string; port: number; tls: boolean; authentication?: { type: string } }[];
      authorization?: { type: string };
    };
    entityOperator?: { userOperator?: object };
  };
}
/** Envoy Gateway runs the proxies of every Gateway in its own namespace (k8s/README.md). */
const GATEWAY_IMPLEMENTATION_NAMESPACE = 'envoy-gateway-system';

interface GatewayResource {
  metadata: { name: string };
  spec: {
    listeners: {
      name: string;
      protocol: string;
      hostname?: string;
      tls?: { certificateRefs?: { name: string }[] };
    }[];
  };
}

interface HttpRouteResource {
  spec: {
    parentRefs: { name: string; sectionName?: string }[];
    hostnames?: string[];
    rules: {
      matches?: unknown[];
      filters?: unknown[];
      backendRefs?: { name: string; port: number }[];
    }[];
  };
}

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

  it('runs Kafka with SCRAM-SHA-512 on every client listener and the simple authorizer, reached over TLS', () => {
    const [kafka, ...others] = ofKind<KafkaResource>(objectsOf(overlay), 'Kafka');
    expect(others).toEqual([]);
    expect(kafka.spec.kafka.authorization?.type).toBe('simple');
    expect(kafka.spec.entityOperator?.userOperator).toBeDefined();
    kafka.spec.kafka.listeners.forEach((listener) =>
      expect({ [listener.name]: [listener.tls, listener.authentication?.type] }).toEqual({
        [listener.name]: [true, 'scram-sha-512'],
      }),
    );
    const ports = kafka.spec.kafka.listeners.map((listener) => String(listener.port));
    kafkaClients(overlay).forEach((deployment) => {
      const { provided } = containerEnvironment(
        deployment.spec.template.spec.containers[0],
        objectsOf(overlay),
      );
      const brokers = provided.get('KAFKA_BROKERS')?.split(',') ?? [];
      expect({
        app: deployment.metadata.name,
        ports: brokers.every((broker) => ports.includes(broker.split(':')[1])),
        ssl: provided.get('KAFKA_SSL'),
        mechanism: provided.get('KAFKA_SASL_MECHANISM'),
      }).toEqual({ app: deployment.metadata.name, ports: true, ssl: 'true', mechanism: 'scram-sha-512' });
    });
  });

  it('logs every Kafka client in as its own KafkaUser, with the password of the Secret Strimzi creates', () => {
    const users = ofKind(objectsOf(overlay), 'KafkaUser').map((user) => user.metadata.name);
    const logins = kafkaClients(overlay).map((deployment) => {
      const container = deployment.spec.template.spec.containers[0];
      const variable = (name: string) => container.env?.find((candidate) => candidate.name === name);
      return {
        app: container.name,
        username: variable('KAFKA_SASL_USERNAME')?.value,
        password: variable('KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef,
        hasUser: users.includes(container.name),
      };
    });
    expect(logins.length).toBeGreaterThanOrEqual(5);
    logins.forEach((login) =>
      expect(login).toEqual({
        app: login.app,
        username: login.app,
        password: { name: login.app, key: 'password' },
        hasUser: true,
      }),
    );
    // Every other user is an operator's: the DLQ CLI.
    expect(users.filter((user) => !logins.some((login) => login.app === user))).toEqual([DLQ_CLI_USER]);
  });

  it('grants ACLs only on catalogue topics and the consumer groups of each user', () => {
    const catalogue = topicCatalogue().map((topic) => topic.name);
    const problems = ofKind<{ metadata: { name: string }; spec: { authorization: { acls: Acl[] } } }>(
      objectsOf(overlay),
      'KafkaUser',
    ).flatMap((user) =>
      user.spec.authorization.acls
        .filter(({ resource, operations }) => {
          if (operations.some((operation) => !['Read', 'Write', 'Describe', 'Delete'].includes(operation)))
            return true;
          if (resource.type === 'topic')
            return resource.patternType !== 'literal' || !catalogue.includes(resource.name);
          if (resource.type !== 'group') return true;
          const deadLetterGroup = resource.patternType === 'prefix' && resource.name.startsWith('dlq-');
          if (user.metadata.name === DLQ_CLI_USER) return !deadLetterGroup;
          // Persistence's read API runs the DLQ CLI's code for the operator console.
          if (user.metadata.name === 'persistence' && deadLetterGroup) return false;
          // A connector's own group, its erasure group and its suppression readers' throwaway groups.
          const own = user.metadata.name;
          const allowed =
            (resource.patternType === 'literal' && [own, `${own}-erasure`].includes(resource.name)) ||
            (resource.patternType === 'prefix' && resource.name === `${own}-suppression-`);
          return !allowed;
        })
        .map((acl) => `${user.metadata.name}: ${JSON.stringify(acl)}`),
    );
    expect(problems).toEqual([]);
  });

  it('lets KEDA read the lag as the scaled app, over TLS with SCRAM-SHA-512', () => {
    const authentications = ofKind<{
      metadata: { name: string };
      spec: {
        env?: { parameter: string; name: string }[];
        secretTargetRef?: { parameter: string; name: string; key: string }[];
      };
    }>(objectsOf(overlay), 'TriggerAuthentication');
    const triggers = ofKind<{
      spec: {
        triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
      };
    }>(objectsOf(overlay), 'ScaledObject').flatMap((scaled) => scaled.spec.triggers);
    expect(triggers.length).toBeGreaterThan(0);
    triggers.forEach((trigger) => {
      expect(trigger.metadata).toMatchObject({ tls: 'enable', sasl: 'scram_sha512' });
      const authentication = authentications.find(
        (candidate) => candidate.metadata.name === trigger.authenticationRef?.name,
      );
      expect(authentication?.spec.env).toEqual(
        expect.arrayContaining([
          { parameter: 'username', name: 'KAFKA_SASL_USERNAME' },
          { parameter: 'password', name: 'KAFKA_SASL_PASSWORD' },
        ]),
      );
      expect(authentication?.spec.secretTargetRef).toEqual([
        { parameter: 'ca', name: 'lead-platform-cluster-ca-cert', key: 'ca.crt' },
      ]);
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

  it('denies all traffic by default and admits only the Gateway API proxies, to the gateway only', () => {
    const policies = ofKind<{
      metadata: { name: string };
      spec: {
        podSelector: { matchLabels?: Record<string, string> };
        policyTypes: string[];
        ingress?: {
          from?: {
            namespaceSelector?: { matchLabels?: Record<string, string> };
            podSelector?: { matchLabels?: Record<string, string> };
          }[];
        }[];
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
    const peersFrom = (namespace: string) =>
      policies.flatMap((policy) =>
        (policy.spec.ingress ?? []).flatMap((rule) =>
          (rule.from ?? [])
            .filter(
              (peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === namespace,
            )
            .map((peer) => ({
              to: policy.spec.podSelector.matchLabels,
              from: peer.podSelector?.matchLabels,
            })),
        ),
      );
    expect(peersFrom('ingress-nginx')).toEqual([]);
    expect(peersFrom(GATEWAY_IMPLEMENTATION_NAMESPACE)).toEqual([
      {
        to: { [NAME]: 'gateway' },
        from: expect.objectContaining({
          'app.kubernetes.io/managed-by': 'envoy-gateway',
          'gateway.envoyproxy.io/owning-gateway-name': 'lead-intake',
        }),
      },
    ]);
  });

  it('publishes only POST /lead-delivery of the gateway, through an HTTPS listener of its Gateway', () => {
    const objects = objectsOf(overlay);
    expect(ofKind(objects, 'Ingress')).toEqual([]);
    expect(JSON.stringify(objects)).not.toContain('nginx.ingress.kubernetes.io');
    const gateways = ofKind<GatewayResource>(objects, 'Gateway');
    const routes = ofKind<HttpRouteResource>(objects, 'HTTPRoute');
    const listenerOf = (ref: { name: string; sectionName?: string }) =>
      gateways
        .find((gateway) => gateway.metadata.name === ref.name)
        ?.spec.listeners.find((listener) => listener.name === ref.sectionName);
    const forwarding = routes.filter((route) => route.spec.rules.some((rule) => rule.backendRefs));
    expect(
      forwarding.flatMap((route) =>
        route.spec.rules.flatMap((rule) => (rule.backendRefs ?? []).map((backend) => backend.name)),
      ),
    ).toEqual(['gateway']);
    forwarding.forEach((route) => {
      expect(route.spec.rules.flatMap((rule) => rule.matches)).toEqual([
        { path: { type: 'Exact', value: '/lead-delivery' }, method: 'POST' },
      ]);
      route.spec.parentRefs.forEach((ref) => {
        const listener = listenerOf(ref);
        expect(listener?.protocol).toBe('HTTPS');
        expect(listener?.tls?.certificateRefs?.length).toBeGreaterThan(0);
        expect(route.spec.hostnames).toEqual([listener?.hostname]);
      });
    });
    // Every other route only redirects plain HTTP to HTTPS.
    routes
      .filter((route) => !forwarding.includes(route))
      .forEach((route) =>
        expect(route.spec.rules.flatMap((rule) => rule.filters ?? [])).toEqual([
          { type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } },
        ]),
      );
  });

  it('keeps the request body limit in the gateway app (64 KiB at most), since the Gateway sets none', () => {
    const gateway = deployments(overlay).find((deployment) => deployment.metadata.name === 'gateway');
    const { provided } = containerEnvironment(
      gateway?.spec.template.spec.containers[0] as Workload['spec']['template']['spec']['containers'][0],
      objectsOf(overlay),
    );
    const app = apps.find((candidate) => candidate.app === 'gateway');
    const limit =
      provided.get('BODY_LIMIT_BYTES') ?? app?.variables.find((v) => v.name === 'BODY_LIMIT_BYTES')?.default;
    expect(Number(limit)).toBeLessThanOrEqual(64 * 1024);
  });

  it(
    overlay === 'prod'
      ? 'documents every Secret it expects in k8s/README.md (Strimzi creates the Kafka ones)'
      : 'brings every Secret its pods use (Strimzi creates the Kafka ones)',
    () => {
      const objects = objectsOf(overlay);
      const references = platformWorkloads(overlay).flatMap((workload) =>
        secretReferences(workload.spec.template.spec),
      );
      expect(references.length).toBeGreaterThan(0);
      const fromStrimzi = strimziSecrets(objects);
      const brought = references.filter(({ name, key }) => fromStrimzi.get(name)?.includes(key as string));
      const expected = references.filter((reference) => !brought.includes(reference));
      if (overlay === 'prod') {
        const readme = readFileSync(join(WORKSPACE_ROOT, 'k8s', 'README.md'), 'utf8');
        const undocumented = expected.filter(
          ({ name, key }) => !readme.includes(`\`${name}\``) || (key && !readme.includes(`\`${key}\``)),
        );
        expect(undocumented).toEqual([]);
      } else {
        const missing = expected.filter(({ name, key }) => {
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
/** The CRM base URLs a connector is given (its store's DATABASE_URL is not one). */
function urlVariables(deployment: Workload, objects: KubernetesObject[]): [string, string | undefined][] {
  const container = deployment.spec.template.spec.containers[0];
  const { provided } = containerEnvironment(container, objects);
  return [...provided]
    .filter(([name]) => name.endsWith('_URL') && !name.endsWith('DATABASE_URL'))
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
