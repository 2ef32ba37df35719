import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  imageAllocatorEnvironment,
  memoryCgroupsWritable,
  memoryQuantityBytes,
  nodeCommand,
  podLaunch,
  podMemory,
  removePodCgroups,
} from './pod-memory';
import { stackServices } from './services';

const root = join(__dirname, '..', '..');
const MiB = 2 ** 20;

describe('pod memory', () => {
  it('reads Kubernetes memory quantities', () => {
    expect(memoryQuantityBytes('512Mi')).toBe(512 * MiB);
    expect(memoryQuantityBytes('1Gi')).toBe(1024 * MiB);
    expect(memoryQuantityBytes('1G')).toBe(1e9);
    expect(memoryQuantityBytes('268435456')).toBe(256 * MiB);
    expect(() => memoryQuantityBytes('lots')).toThrow('unsupported memory quantity lots');
  });

  it('finds a memory limit and NODE_OPTIONS in the manifest of every service of the stack', () => {
    const services = stackServices({ root, kafkaBrokers: 'unused', databaseUrl: 'unused' });
    for (const { name } of services) {
      const pod = podMemory(root, name);
      expect({ name, limitAtLeast128MiB: pod.limitBytes >= 128 * MiB }).toEqual({
        name,
        limitAtLeast128MiB: true,
      });
      expect(pod.nodeOptions).toMatch(/--max-old-space-size=\d+/);
    }
    expect(podMemory(root, 'gateway')).toEqual({
      limitBytes: 512 * MiB,
      nodeOptions: '--max-old-space-size=384 --max-semi-space-size=4',
      manifest: 'k8s/base/gateway/deployment.yaml',
    });
    expect(() => podMemory(root, 'no-such-app')).toThrow('no Deployment no-such-app');
  });

  it("takes the runtime image's allocator settings from docker/Dockerfile", () => {
    expect(imageAllocatorEnvironment(root)).toEqual({ MALLOC_ARENA_MAX: '2' });
  });

  it('starts node inside the pod limit where this machine allows a memory cgroup, and refuses otherwise', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'pod-memory-')), 'report.js');
    writeFileSync(
      script,
      "console.log(JSON.stringify({ limit: process.constrainedMemory(), heap: require('v8').getHeapStatistics().heap_size_limit }));",
    );
    const launch = podLaunch(root, 'gateway', script);
    if (!memoryCgroupsWritable()) {
      expect(launch).toBeUndefined();
      return;
    }
    try {
      expect(launch).toBeDefined();
      const run = spawnSync(launch?.command as string, launch?.args as string[], {
        env: { ...process.env, NODE_OPTIONS: launch?.nodeOptions },
        encoding: 'utf8',
      });
      const report = JSON.parse(run.stdout) as { limit: number; heap: number };
      expect(report.limit).toBe(512 * MiB);
      // --max-old-space-size=384 plus the manifest's young generation, not one sized for the whole machine.
      expect(report.heap).toBeGreaterThan(384 * MiB);
      expect(report.heap).toBeLessThan(400 * MiB);
    } finally {
      removePodCgroups();
    }
  });

  it("spawns bare node unchanged, and a pod's node with the pod's NODE_OPTIONS before the caller's and the image's allocator settings", () => {
    const env = { NODE_OPTIONS: '--enable-source-maps', PORT: '3000' };
    expect(nodeCommand(root, '/app/main.js', env)).toEqual({
      command: process.execPath,
      args: ['/app/main.js'],
      env,
    });
    if (!memoryCgroupsWritable()) {
      expect(() => nodeCommand(root, '/app/main.js', env, 'gateway')).toThrow(
        'cannot run gateway as a pod: no writable memory cgroup here',
      );
      return;
    }
    try {
      const pod = nodeCommand(root, '/app/main.js', env, 'gateway');
      expect(pod.command).toBe('/bin/sh');
      expect(pod.args.slice(-2)).toEqual([process.execPath, '/app/main.js']);
      expect(pod.env).toEqual({
        PORT: '3000',
        NODE_OPTIONS: '--max-old-space-size=384 --max-semi-space-size=4 --enable-source-maps',
        MALLOC_ARENA_MAX: '2',
      });
      const tuned = nodeCommand(root, '/app/main.js', { ...env, MALLOC_ARENA_MAX: '1' }, 'gateway');
      expect(tuned.env['MALLOC_ARENA_MAX']).toBe('1');
    } finally {
      removePodCgroups();
    }
  });
});
