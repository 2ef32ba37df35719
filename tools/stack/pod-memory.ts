import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readDockerfile, runtimeEnvironment } from '../k8s/dockerfile';

// A pod gives an app the memory its manifest sets (`resources.limits.memory`, enforced by a cgroup) and the
// manifest's NODE_OPTIONS. Node hands the cgroup's limit to V8, which sizes its heap from it: under load
// on an unconstrained 24 GiB host the young generation grows to 128 MiB, in a 512 MiB pod it stays at a
// few MiB. A benchmark measuring RSS outside the pod's limit measures a heap no pod has, so the benches
// can start each app in a memory cgroup of its manifest's limit, with the image's allocator settings.

export interface PodMemory {
  limitBytes: number;
  nodeOptions: string;
  manifest: string;
}

export interface PodLaunch {
  command: string;
  args: string[];
  nodeOptions: string;
}

const MANIFEST_DIRS = ['k8s/base', 'k8s/overlays/dev'];
const QUANTITY = /^(\d+)(Ki|Mi|Gi|K|M|G)?$/;
const UNIT_BYTES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  K: 1e3,
  M: 1e6,
  G: 1e9,
};

/** A Kubernetes memory quantity (`512Mi`, `1G`, `268435456`) in bytes. */
export function memoryQuantityBytes(quantity: string): number {
  const match = QUANTITY.exec(quantity);
  if (!match) throw new Error(`unsupported memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] ? (UNIT_BYTES[match[2]] as number) : 1);
}

interface Container {
  name?: string;
  env?: Array<{ name?: string; value?: string }>;
  resources?: { limits?: { memory?: string } };
}

/** The memory limit and NODE_OPTIONS of the Deployment named after the service, from the repository's manifests. */
export function podMemory(root: string, service: string): PodMemory {
  for (const manifest of MANIFEST_DIRS.flatMap((dir) => deploymentFiles(join(root, dir)))) {
    for (const document of parseAllDocuments(readFileSync(manifest, 'utf8'))) {
      const resource = document.toJS() as {
        kind?: string;
        metadata?: { name?: string };
        spec?: { template?: { spec?: { containers?: Container[] } } };
      } | null;
      if (resource?.kind !== 'Deployment' || resource.metadata?.name !== service) continue;
      const container = resource.spec?.template?.spec?.containers?.find(({ name }) => name === service);
      const limit = container?.resources?.limits?.memory;
      if (!limit) throw new Error(`${manifest}: container ${service} sets no memory limit`);
      return {
        limitBytes: memoryQuantityBytes(limit),
        nodeOptions: container.env?.find(({ name }) => name === 'NODE_OPTIONS')?.value ?? '',
        manifest: manifest.slice(root.length + 1),
      };
    }
  }
  throw new Error(`no Deployment ${service} under ${MANIFEST_DIRS.join(', ')}`);
}

function deploymentFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? deploymentFiles(join(dir, entry.name))
      : entry.name === 'deployment.yaml'
        ? [join(dir, entry.name)]
        : [],
  );
}

const CGROUP_V2 = '/sys/fs/cgroup';
const CGROUP_V1_MEMORY = '/sys/fs/cgroup/memory';
const PARENT = 'lead-platform-pods';

/**
 * A memory cgroup of the given limit (cgroup v2, else v1's memory hierarchy), or undefined where this
 * process may not make one (not root, or no memory controller): callers say that their numbers are not a pod's.
 */
function createMemoryCgroup(name: string, limitBytes: number): string | undefined {
  const v2 = readable(join(CGROUP_V2, 'cgroup.controllers'))?.split(/\s+/).includes('memory');
  const base = v2 ? CGROUP_V2 : existsSync(CGROUP_V1_MEMORY) ? CGROUP_V1_MEMORY : undefined;
  if (!base) return undefined;
  try {
    const parent = join(base, PARENT);
    mkdirSync(join(parent, name), { recursive: true });
    if (v2) writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory');
    const dir = join(parent, name);
    writeFileSync(join(dir, v2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limitBytes));
    return dir;
  } catch {
    return undefined;
  }
}

function readable(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether this process can start apps as pods (a memory cgroup can be made and removed here). */
export function memoryCgroupsWritable(): boolean {
  const probe = createMemoryCgroup(`probe-${process.pid}`, 2 ** 30);
  if (probe) rmdirSync(probe);
  return probe !== undefined;
}

/** How a bench runs the apps: BENCH_AS_PODS=1 or 0, else as pods wherever this machine can. */
export function benchAsPods(): boolean {
  const chosen = process.env['BENCH_AS_PODS'];
  return chosen === undefined ? memoryCgroupsWritable() : chosen === '1';
}

/** The line a bench prints about how its apps ran, so that its RSS figures say whether they are a pod's. */
export function podModeLine(asPods: boolean): string {
  return asPods
    ? "apps ran as pods: each from its image's own dependencies, in a memory cgroup of its manifest limit, with the manifest NODE_OPTIONS and the image's MALLOC_ARENA_MAX"
    : 'apps ran unconstrained (BENCH_AS_PODS=0 or no writable memory cgroup): V8 sized its heap for the whole machine, RSS is not a pod one';
}

const created = new Set<string>();

/**
 * The command that starts `script` with node as the service's pod would: a shell joins the cgroup, then
 * execs node, so V8 sizes its heap inside the limit from its first instruction. Undefined where no memory
 * cgroup can be made here.
 */
export function podLaunch(root: string, service: string, script: string): PodLaunch | undefined {
  const pod = podMemory(root, service);
  const cgroup = createMemoryCgroup(`${service}-${process.pid}`, pod.limitBytes);
  if (!cgroup) return undefined;
  created.add(cgroup);
  return {
    command: '/bin/sh',
    args: ['-c', `echo $$ > '${join(cgroup, 'cgroup.procs')}' && exec "$0" "$@"`, process.execPath, script],
    nodeOptions: pod.nodeOptions,
  };
}

export interface NodeCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The allocator settings (MALLOC_*) the runtime image sets with ENV: every pod runs with them. */
export function imageAllocatorEnvironment(root: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(runtimeEnvironment(readDockerfile(root))).filter(([name]) => name.startsWith('MALLOC_')),
  );
}

/**
 * How to spawn `node <script>` with `env`: bare, or with `asPodOf` as that service's pod runs it (podLaunch),
 * the pod's NODE_OPTIONS first and the image's allocator settings unless `env` sets its own. Throws where no
 * memory cgroup can be made.
 */
export function nodeCommand(
  root: string,
  script: string,
  env: NodeJS.ProcessEnv,
  asPodOf?: string,
): NodeCommand {
  if (!asPodOf) return { command: process.execPath, args: [script], env };
  const pod = podLaunch(root, asPodOf, script);
  if (!pod) throw new Error(`cannot run ${asPodOf} as a pod: no writable memory cgroup here`);
  const nodeOptions = [pod.nodeOptions, env['NODE_OPTIONS']].filter(Boolean).join(' ');
  return {
    command: pod.command,
    args: pod.args,
    env: { ...imageAllocatorEnvironment(root), ...env, NODE_OPTIONS: nodeOptions },
  };
}

/** Removes the cgroups podLaunch made, once their processes have exited (a cgroup with members stays). */
export function removePodCgroups(): void {
  for (const cgroup of created) {
    try {
      rmdirSync(cgroup);
      created.delete(cgroup);
    } catch {
      // still has a process, or already gone
    }
  }
}
