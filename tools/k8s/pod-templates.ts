import type { ProvidedEnvironment } from './app-environment';
import type { KubernetesObject } from './render-manifests';

// Typed views of the parts of rendered workloads the checks read.

export interface EnvVarSource {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVarSource[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
  ports?: { name?: string; containerPort: number }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    privileged?: boolean;
  };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  configMap?: { name: string; items?: { key: string; path: string }[] };
  emptyDir?: object;
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: Volume[];
}

export interface Workload extends KubernetesObject {
  spec: {
    selector?: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job'];

export const workloadsOf = (objects: KubernetesObject[]): Workload[] =>
  objects.filter((object) => WORKLOAD_KINDS.includes(object.kind)) as Workload[];

const configMapData = (objects: KubernetesObject[], name: string): Record<string, string> | undefined =>
  objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === name)?.['data'] as
    Record<string, string> | undefined;

/**
 * The variables a container gets, resolved against the rendered ConfigMaps (`env` wins over `envFrom`,
 * as in Kubernetes), and the problems of references that cannot be resolved.
 */
export function containerEnvironment(
  container: Container,
  objects: KubernetesObject[],
): { provided: ProvidedEnvironment; problems: string[] } {
  const provided: ProvidedEnvironment = new Map();
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    if (source.secretRef) {
      problems.push(
        `envFrom secretRef ${source.secretRef.name} hides which variables it sets; use env secretKeyRef`,
      );
      continue;
    }
    const data = source.configMapRef && configMapData(objects, source.configMapRef.name);
    if (!data)
      problems.push(`envFrom refers to ConfigMap ${source.configMapRef?.name}, which is not rendered`);
    Object.entries(data ?? {}).forEach(([name, value]) => provided.set(name, value));
  }
  for (const variable of container.env ?? []) {
    const configMapKey = variable.valueFrom?.configMapKeyRef;
    if (configMapKey) {
      const value = configMapData(objects, configMapKey.name)?.[configMapKey.key];
      if (value === undefined)
        problems.push(`${variable.name}: ConfigMap ${configMapKey.name} has no ${configMapKey.key}`);
      provided.set(variable.name, value);
    } else {
      provided.set(variable.name, variable.valueFrom ? undefined : variable.value);
    }
  }
  return { provided, problems };
}

/** Every Secret (name and key) a pod needs: env references and volumes. */
export function secretReferences(pod: PodSpec): { name: string; key?: string }[] {
  return [
    ...pod.containers.flatMap((container) =>
      (container.env ?? [])
        .map((variable) => variable.valueFrom?.secretKeyRef)
        .filter((ref): ref is { name: string; key: string } => ref !== undefined),
    ),
    ...(pod.volumes ?? [])
      .filter((volume) => volume.secret)
      .flatMap((volume) =>
        volume.secret?.items
          ? volume.secret.items.map((item) => ({ name: volume.secret?.secretName as string, key: item.key }))
          : [{ name: volume.secret?.secretName as string }],
      ),
  ];
}
