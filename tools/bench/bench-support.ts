import { topicCatalogue } from '@lead-delivery/contracts';
import { provisionTopics } from '@lead-delivery/messaging';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { nodeCommand, removePodCgroups } from '../stack/pod-memory';

// Shared by the benchmark scripts: a broker, built apps as child processes, RSS sampling, machine info.

export const ROOT = join(__dirname, '..', '..');
const kafkaCli = join(ROOT, 'tools', 'kafka', 'kafka.mjs');

/** KAFKA_BROKERS if set, else a fresh tools/kafka broker named `name` (stopped by the returned function). */
export async function benchBroker(name: string, port: number): Promise<{ brokers: string; stop(): void }> {
  if (process.env['KAFKA_BROKERS']) return { brokers: process.env['KAFKA_BROKERS'], stop: () => undefined };
  execFileSync(process.execPath, [kafkaCli, 'start', '--name', name, '--port', String(port), '--fresh'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const brokers = `127.0.0.1:${port}`;
  const admin = new Kafka({ clientId: 'bench', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await provisionTopics(admin, topicCatalogue());
  await admin.disconnect();
  return {
    brokers,
    stop: () => execFileSync(process.execPath, [kafkaCli, 'stop', '--name', name], { stdio: 'ignore' }),
  };
}

/** Builds an app with Nx (webpack) so it runs as it would in production. */
export function buildApp(project: string): string {
  execFileSync(join(ROOT, 'node_modules/.bin/nx'), ['build', project, '--outputStyle=static'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  return join(ROOT, 'dist', 'apps', project, 'main.js');
}

export interface RunningProcess {
  child: ChildProcess;
  peakRssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts `node <script>` and samples its resident memory until stopped; with `asPodOf`, inside the memory
 * limit and with the NODE_OPTIONS of that service's pod (tools/stack/pod-memory.ts).
 */
export function startProcess(
  script: string,
  env: Record<string, string>,
  { asPodOf }: { asPodOf?: string } = {},
): RunningProcess {
  const command = nodeCommand(ROOT, script, { ...process.env, ...env }, asPodOf);
  const child = spawn(command.command, command.args, {
    env: command.env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid))), 200);
  return {
    child,
    peakRssMb: () => Math.max(peak, rssMb(child.pid)),
    stop: () =>
      new Promise((resolve) => {
        clearInterval(sampler);
        const exited = () => {
          removePodCgroups();
          resolve();
        };
        if (child.exitCode !== null) return exited();
        child.once('exit', exited);
        child.kill('SIGTERM');
      }),
  };
}

/** A process's resident memory now, from /proc/<pid>/status (0 once it is gone). */
export function rssMb(pid: number | undefined): number {
  return statusMb(pid, 'VmRSS');
}

/** A process's peak resident memory so far (the kernel's high-water mark, VmHWM), 0 once it is gone. */
export function peakRssMb(pid: number | undefined): number {
  return statusMb(pid, 'VmHWM');
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number | undefined): number {
  const fields = statFields(pid);
  if (!fields) throw new Error(`no process ${pid} to read the CPU time of`);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time in ms of a process and its children, the finished ones included: the kernel adds a reaped
 * child's time to its parent's cutime and cstime. For a PostgreSQL server: the postmaster's pid.
 */
export function processTreeCpuMs(rootPid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields && (entry === String(rootPid) || fields[1] === String(rootPid)))
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks * 10;
}

/** The parent's pid, from /proc/<pid>/stat; undefined once the process is gone. */
export function parentPid(pid: number | undefined): number | undefined {
  const ppid = statFields(pid)?.[1];
  return ppid === undefined ? undefined : Number(ppid);
}

/** The process's command name (/proc/<pid>/comm), undefined once it is gone. */
export function commandName(pid: number | undefined): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The fields of /proc/<pid>/stat after the command name ([1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime). */
function statFields(pid: number | string | undefined): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
  } catch {
    return undefined;
  }
}

function statusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
