// Runs the services of the local stack as child processes: used by `npm start` and by the end-to-end,
// reliability and load suites, which also stop, kill and restart single services.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { installImage } from '../build/app-image';
import { nodeCommand, removePodCgroups } from './pod-memory';
import { stackServices, type StackService } from './services';

/** Builds the apps with Nx (cached after the first time), and the operator console persistence serves. */
export function buildServices(
  root: string,
  services: StackService[],
  env: NodeJS.ProcessEnv = process.env,
): void {
  const projects = [...services.map((service) => service.script.split('/').at(-2)), 'console'].join(',');
  const result = spawnSync(
    join(root, 'node_modules/.bin/nx'),
    ['run-many', '-t', 'build', '-p', projects, '--outputStyle=static'],
    {
      cwd: root,
      env: { ...env, NX_DAEMON: 'false' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error('the build failed (run `npx nx run-many -t build` to see why)');
}

export interface StartServicesOptions {
  root: string;
  offset?: number;
  kafkaBrokers: string;
  databaseUrl: string;
  logDir: string;
  env?: NodeJS.ProcessEnv;
  /** Extra environment per service name. */
  overrides?: Record<string, Record<string, string>>;
  /**
   * Start each service as its pod runs it: from its image's own dependencies (tools/build/app-image.ts),
   * in a memory cgroup of its manifest's limit, with the manifest's NODE_OPTIONS (pod-memory.ts). Needs a
   * writable memory cgroup (root); throws where there is none.
   */
  asPods?: boolean;
  /** Called when a service dies on its own. */
  onUnexpectedExit?: (service: StackService, code: number | null, signal: NodeJS.Signals | null) => void;
}

export type RunningStack = ReturnType<typeof startServices>;

/** Starts every service; returns handles to wait for readiness, stop, kill (-9) and restart services. */
export function startServices({
  root,
  offset = 0,
  kafkaBrokers,
  databaseUrl,
  logDir,
  env = process.env,
  overrides = {},
  asPods = false,
  onUnexpectedExit,
}: StartServicesOptions) {
  mkdirSync(logDir, { recursive: true });
  const services = stackServices({ root, offset, kafkaBrokers, databaseUrl });
  const running = new Map<string, ChildProcess>();
  const images = new Map<string, string>();
  const imageScript = (service: StackService) => {
    const app = service.script.split('/').at(-2) as string;
    if (!images.has(app)) images.set(app, installImage(root, app));
    return join(images.get(app) as string, 'main.js');
  };
  const expectedExits = new Set<ChildProcess>();

  const byName = (name: string): StackService => {
    const service = services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`no service ${name}`);
    return service;
  };

  function start(service: StackService): void {
    const output = createWriteStream(join(logDir, `${service.name}.log`), { flags: 'a' });
    const {
      command,
      args,
      env: processEnv,
    } = nodeCommand(
      root,
      asPods ? imageScript(service) : service.script,
      { ...env, ...service.env, ...(overrides[service.name] ?? {}) },
      asPods ? service.name : undefined,
    );
    const child = spawn(command, args, { cwd: root, env: processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(output);
    child.stderr?.pipe(output);
    child.on('exit', (code, signal) => {
      if (!expectedExits.delete(child)) onUnexpectedExit?.(service, code, signal);
    });
    running.set(service.name, child);
  }

  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });

  async function stop(
    name: string,
    { signal = 'SIGTERM' as NodeJS.Signals, timeoutMs = 30_000 } = {},
  ): Promise<void> {
    const child = running.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    expectedExits.add(child);
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.kill(signal);
    await exited(child);
    clearTimeout(kill);
  }

  async function waitReady(name: string, timeoutMs = 120_000): Promise<void> {
    const service = byName(name);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const response = await fetch(service.ready).catch(() => undefined);
      if (response?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const logFile = join(logDir, `${name}.log`);
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`${name} not ready after ${timeoutMs / 1000} s (${service.ready})\n${tail}`);
  }

  services.forEach(start);
  return {
    services,
    url: (name: string) => byName(name).url,
    pid: (name: string) => running.get(name)?.pid,
    waitAllReady: async (timeoutMs?: number) => {
      await Promise.all(services.map((service) => waitReady(service.name, timeoutMs)));
    },
    waitReady,
    stop,
    /** SIGKILL: no shutdown hooks, no commits, no flush. */
    kill: (name: string) => stop(name, { signal: 'SIGKILL' }),
    restart: async (name: string) => {
      await stop(name);
      start(byName(name));
      await waitReady(name);
    },
    start: (name: string) => start(byName(name)),
    stopAll: async () => {
      await Promise.all(services.map((service) => stop(service.name)));
      removePodCgroups();
      for (const dir of images.values()) rmSync(dir, { recursive: true, force: true });
    },
  };
}
