// Runs the services of the local stack as child processes: used by `npm start` and by the end-to-end
// and reliability suites, which also stop, kill and restart single services.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackServices } from './services.mjs';

/** Builds the apps with Nx (cached after the first time). */
export function buildServices(root, services, env = process.env) {
  const projects = services.map((service) => service.script.split('/').at(-2)).join(',');
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

/**
 * Starts every service; `onUnexpectedExit` is called when one dies on its own.
 * Returns handles to wait for readiness, stop, kill (-9) and restart services.
 */
export function startServices({
  root,
  offset = 0,
  kafkaBrokers,
  databaseUrl,
  logDir,
  env = process.env,
  onUnexpectedExit,
}) {
  mkdirSync(logDir, { recursive: true });
  const services = stackServices({ root, offset, kafkaBrokers, databaseUrl });
  const running = new Map();
  const expectedExits = new Set();

  function start(service) {
    const output = createWriteStream(join(logDir, `${service.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [service.script], {
      cwd: root,
      env: { ...env, ...service.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(output);
    child.stderr.pipe(output);
    child.on('exit', (code, signal) => {
      if (!expectedExits.delete(child)) onUnexpectedExit?.(service, code, signal);
    });
    running.set(service.name, child);
  }

  function exited(child) {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });
  }

  const byName = (name) => {
    const service = services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`no service ${name}`);
    return service;
  };

  async function stop(name, { signal = 'SIGTERM', timeoutMs = 30_000 } = {}) {
    const child = running.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    expectedExits.add(child);
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.kill(signal);
    await exited(child);
    clearTimeout(kill);
  }

  async function waitReady(name, timeoutMs = 120_000) {
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
    url: (name) => byName(name).url,
    waitAllReady: (timeoutMs) => Promise.all(services.map((service) => waitReady(service.name, timeoutMs))),
    waitReady,
    stop,
    /** SIGKILL: no shutdown hooks, no commits, no flush. */
    kill: (name) => stop(name, { signal: 'SIGKILL' }),
    restart: async (name) => {
      await stop(name);
      start(byName(name));
      await waitReady(name);
    },
    start: (name) => start(byName(name)),
    stopAll: () => Promise.all(services.map((service) => stop(service.name))),
  };
}
