// `npm run bench:gateway`: the gateway (Fastify and Express adapters) against two naive baselines (bare
// Fastify route + one kafkajs send per request, no auth, no validation: idempotent, and the fast variant,
// not idempotent with unlimited requests in flight) on the same broker. Prints requests/s, p50/p99
// latency, idle and peak RSS at full load (autocannon) and paced at 1,000 leads/s (pacedLoad), and the ratios.
// BENCH_GATEWAY_TARGETS=naive-idempotent,naive-fast,fastify,express picks targets; BENCH_GATEWAY_CPU_PROF=<dir>
// writes a V8 CPU profile of each gateway run there. Target `compare` runs another build of the gateway
// (BENCH_GATEWAY_COMPARE=<its main.js>, e.g. built from a worktree of an older commit) under Fastify, for a
// before/after in the same conditions. BENCH_GATEWAY_NODE_OPTIONS is passed to the gateway processes (for
// diagnosis, e.g. `--max-semi-space-size=8`). Every target records its own garbage collections
// (gc-pauses.cjs): the table gives each phase's mark-compacts per second and longest pause.
import { aStandardLead, anEnhancedLead, createTestDatabase, uniqueLeadId } from '@lead-delivery/testing';
import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installImage } from '../build/app-image';
import { gcPausesBetween, gcPausesEnv, gcPausesFlushed, type GcPauses } from './gc-pauses';
import { benchAsPods, podModeLine } from '../stack/pod-memory';
import {
  ROOT,
  benchBroker,
  buildApp,
  commit,
  cpuMs,
  machine,
  rssMb,
  startProcess,
  waitForHttp,
} from './bench-support';
import { pacedLoad } from './paced-load';

const API_KEY = 'bench-api-key';
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const CONNECTIONS = 64;
const FIXED_RATE = 1_000;
const IDLE_SETTLE_MS = 2_000;
const TARGETS = (process.env['BENCH_GATEWAY_TARGETS'] ?? 'naive-idempotent,naive-fast,fastify,express').split(
  ',',
);
const CPU_PROF_DIR = process.env['BENCH_GATEWAY_CPU_PROF'];
const COMPARE_MAIN = process.env['BENCH_GATEWAY_COMPARE'];
/** Every target runs in the gateway pod's memory limit and NODE_OPTIONS when the apps run as pods. */
const AS_PODS = benchAsPods();
const HEADERS = { 'content-type': 'application/json', 'x-api-key': API_KEY };

interface Measure extends GcPauses {
  target: string;
  mode: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Resident memory once ready, after a short settle, before any load. */
  idleRssMb: number;
  peakRssMb: number;
  /** The server's CPU time (user + system) per answered request: less sensitive than requests/s to what else runs on the shared cores. */
  cpuMsPerRequest: number;
}

/** The accounts file, and each run's garbage collections as the server recorded them (gc-pauses.cjs). */
const WORK_DIR = mkdtempSync(join(tmpdir(), 'bench-gateway-'));

function leadBodies(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const leadId = uniqueLeadId('bench');
    return JSON.stringify(
      index % 2 === 0 ? aStandardLead({ lead_id: leadId }) : anEnhancedLead({ lead_id: leadId }),
    );
  });
}

async function load(url: string, bodies: string[], options: { durationS: number; rate?: number }) {
  const result = await autocannon({
    url: `${url}/lead-delivery`,
    connections: CONNECTIONS,
    duration: options.durationS,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: bodies.map((body) => ({
      method: 'POST' as const,
      path: '/lead-delivery',
      headers: HEADERS,
      body,
    })),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function measure(
  target: string,
  script: string,
  env: Record<string, string>,
  port: number,
  bodies: string[],
): Promise<Measure[]> {
  const gcFile = join(WORK_DIR, `gc-${port}.jsonl`);
  const running = startProcess(
    script,
    { ...env, PORT: String(port), ...gcPausesEnv(gcFile, env['NODE_OPTIONS']) },
    AS_PODS ? { asPodOf: 'gateway' } : {},
  );
  const url = `http://127.0.0.1:${port}`;
  const phases: Array<{ row: Omit<Measure, keyof GcPauses>; fromMs: number; toMs: number }> = [];
  try {
    await waitForHttp(`${url}/health/ready`);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const idleRssMb = rssMb(running.child.pid);
    await load(url, bodies, { durationS: 3 }); // warm-up: JIT, connections, producer batches
    const cpuBefore = cpuMs(running.child.pid);
    const maxFrom = Date.now();
    const max = await load(url, bodies, { durationS: DURATION_S });
    const maxTo = Date.now();
    const maxCpu = (cpuMs(running.child.pid) - cpuBefore) / (max.requestsPerSecond * DURATION_S);
    const fixedCpuBefore = cpuMs(running.child.pid);
    const fixedFrom = Date.now();
    const fixed = await pacedLoad(`${url}/lead-delivery`, bodies, HEADERS, {
      rate: FIXED_RATE,
      durationS: DURATION_S,
      connections: CONNECTIONS,
    });
    const fixedTo = Date.now();
    const fixedCpu = (cpuMs(running.child.pid) - fixedCpuBefore) / (fixed.requestsPerSecond * DURATION_S);
    const peakRssMb = running.peakRssMb();
    await gcPausesFlushed();
    phases.push(
      {
        row: { target, mode: 'max', ...max, idleRssMb, peakRssMb, cpuMsPerRequest: maxCpu },
        fromMs: maxFrom,
        toMs: maxTo,
      },
      {
        row: { target, mode: `${FIXED_RATE}/s`, ...fixed, idleRssMb, peakRssMb, cpuMsPerRequest: fixedCpu },
        fromMs: fixedFrom,
        toMs: fixedTo,
      },
    );
  } finally {
    await running.stop();
  }
  return phases.map(({ row, fromMs, toMs }) => ({ ...row, ...gcPausesBetween(gcFile, fromMs, toMs) }));
}

/** The gateway's bundle, built; as a pod, from its image's own dependencies. */
function gatewayBundle(): string {
  const main = buildApp('gateway');
  return AS_PODS ? join(installImage(ROOT, 'gateway'), 'main.js') : main;
}

async function main(): Promise<void> {
  const broker = await benchBroker('bench-gateway', 19_401);
  const database = await createTestDatabase('bench_gateway');
  const accountsFile = join(WORK_DIR, 'accounts.json');
  writeFileSync(
    accountsFile,
    JSON.stringify({
      accounts: [
        {
          id: 'bench',
          enabled: true,
          api_key_sha256: [createHash('sha256').update(API_KEY).digest('hex')],
          rate_limit: { requests_per_second: 1_000_000, burst: 1_000_000 },
        },
      ],
    }),
  );
  const gatewayMain = TARGETS.some((t) => t === 'fastify' || t === 'express') ? gatewayBundle() : '';
  const bodies = leadBodies(2_000);
  const common = { KAFKA_BROKERS: broker.brokers, LOG_LEVEL: 'warn' };
  const baseline = join(ROOT, 'tools/bench/baseline-server.mjs');
  const gatewayEnv = (adapter: string) => ({
    ...common,
    ACCOUNTS_FILE: accountsFile,
    DATABASE_URL: database.url,
    HTTP_ADAPTER: adapter,
    NODE_OPTIONS: [
      process.env['BENCH_GATEWAY_NODE_OPTIONS'] ?? '',
      CPU_PROF_DIR ? `--cpu-prof --cpu-prof-dir=${CPU_PROF_DIR}` : '',
    ].join(' '),
  });
  const targets: Record<string, () => Promise<Measure[]>> = {
    'naive-idempotent': () =>
      measure(NAIVE_IDEMPOTENT, baseline, { ...common, NAIVE_IDEMPOTENT: 'true' }, 19_409, bodies),
    'naive-fast': () => measure(NAIVE_FAST, baseline, common, 19_410, bodies),
    fastify: () => measure('gateway, Fastify adapter', gatewayMain, gatewayEnv('fastify'), 19_411, bodies),
    express: () => measure('gateway, Express adapter', gatewayMain, gatewayEnv('express'), 19_412, bodies),
    compare: () => {
      if (!COMPARE_MAIN)
        throw new Error('target compare needs BENCH_GATEWAY_COMPARE=<main.js of another build>');
      return measure(`compare build ${COMPARE_MAIN}`, COMPARE_MAIN, gatewayEnv('fastify'), 19_413, bodies);
    },
  };

  try {
    const results: Measure[] = [];
    for (const target of TARGETS) {
      const run = targets[target];
      if (!run) throw new Error(`unknown target ${target}; known: ${Object.keys(targets).join(', ')}`);
      results.push(...(await run()));
    }
    print(results);
  } finally {
    await database.drop();
    broker.stop();
  }
}

const NAIVE_IDEMPOTENT = 'naive, idempotent send per request';
const NAIVE_FAST = 'naive fast, non-idempotent send per request, unlimited in flight';

function print(results: Measure[]): void {
  console.log(
    `\nbench:gateway — ${new Date().toISOString().slice(0, 10)}, ${machine()}, commit ${commit()}, ${DURATION_S} s per run, ${CONNECTIONS} connections; ${FIXED_RATE}/s paced open-loop; ${podModeLine(AS_PODS)} (the naive servers in the gateway pod's limit too)\n`,
  );
  console.log(
    '| target | load | requests/s | p50 ms | p99 ms | errors | idle RSS MiB | peak RSS MiB | server CPU ms per request | mark-compacts/s | longest GC pause ms |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.target} | ${r.mode} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.idleRssMb.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.cpuMsPerRequest.toFixed(3)} | ${r.majorPerSecond.toFixed(1)} | ${r.longestPauseMs.toFixed(1)} |`,
    );
  }
  console.log('');
  const find = (target: string, mode: string) =>
    results.find((r) => r.target.startsWith(target) && r.mode === mode);
  for (const adapter of ['Fastify', 'Express']) {
    const gateway = find(`gateway, ${adapter}`, 'max');
    if (!gateway) continue;
    for (const [name, target, goal] of [
      ['idempotent naive', NAIVE_IDEMPOTENT, ''],
      ['fast naive', NAIVE_FAST, ' (target ≥ 1.2)'],
    ] as const) {
      const naive = find(target, 'max');
      const naiveFixed = find(target, `${FIXED_RATE}/s`);
      const gatewayFixed = find(`gateway, ${adapter}`, `${FIXED_RATE}/s`);
      if (!naive || !naiveFixed || !gatewayFixed) continue;
      const delta = gatewayFixed.p99 - naiveFixed.p99;
      console.log(
        `${adapter}: gateway/${name} ${(gateway.requestsPerSecond / naive.requestsPerSecond).toFixed(2)}${goal}; ` +
          `p99 at ${FIXED_RATE}/s ${delta >= 0 ? '+' : ''}${delta} ms (target ≤ +5 ms); ` +
          `peak RSS ${gateway.peakRssMb.toFixed(0)} vs ${naive.peakRssMb.toFixed(0)} MiB (target ≤ 150)`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
