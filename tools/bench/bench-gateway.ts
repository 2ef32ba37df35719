// `npm run bench:gateway`: the gateway (Fastify and Express adapters) against a naive baseline (bare
// Fastify route + one kafkajs send per request, no auth, no validation) on the same broker. Prints
// requests/s, p50/p99 latency and peak RSS at full load and at a fixed 1,000 leads/s.
import { aStandardLead, anEnhancedLead, createTestDatabase, uniqueLeadId } from '@lead-delivery/testing';
import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, benchBroker, buildApp, commit, machine, startProcess, waitForHttp } from './bench-support';

const API_KEY = 'bench-api-key';
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const CONNECTIONS = 64;
const FIXED_RATE = 1_000;

interface Measure {
  target: string;
  mode: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  peakRssMb: number;
}

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
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
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
  const running = startProcess(script, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health/ready`);
    await load(url, bodies, { durationS: 3 }); // warm-up: JIT, connections, producer batches
    const max = await load(url, bodies, { durationS: DURATION_S });
    const fixed = await load(url, bodies, { durationS: DURATION_S, rate: FIXED_RATE });
    const peakRssMb = running.peakRssMb();
    return [
      { target, mode: 'max', ...max, peakRssMb },
      { target, mode: `${FIXED_RATE}/s`, ...fixed, peakRssMb },
    ];
  } finally {
    await running.stop();
  }
}

async function main(): Promise<void> {
  const broker = await benchBroker('bench-gateway', 19_401);
  const database = await createTestDatabase('bench_gateway');
  const accountsFile = join(mkdtempSync(join(tmpdir(), 'bench-gateway-')), 'accounts.json');
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
  const gatewayMain = buildApp('gateway');
  const bodies = leadBodies(2_000);
  const common = { KAFKA_BROKERS: broker.brokers, LOG_LEVEL: 'warn' };
  const gatewayEnv = (adapter: string) => ({
    ...common,
    ACCOUNTS_FILE: accountsFile,
    DATABASE_URL: database.url,
    HTTP_ADAPTER: adapter,
  });

  try {
    const results = [
      ...(await measure(
        'baseline (Fastify + send per request)',
        join(ROOT, 'tools/bench/baseline-server.mjs'),
        common,
        19_410,
        bodies,
      )),
      ...(await measure('gateway, Fastify adapter', gatewayMain, gatewayEnv('fastify'), 19_411, bodies)),
      ...(await measure('gateway, Express adapter', gatewayMain, gatewayEnv('express'), 19_412, bodies)),
    ];
    print(results);
  } finally {
    await database.drop();
    broker.stop();
  }
}

function print(results: Measure[]): void {
  console.log(
    `\nbench:gateway — ${new Date().toISOString().slice(0, 10)}, ${machine()}, commit ${commit()}, ${DURATION_S} s per run, ${CONNECTIONS} connections\n`,
  );
  console.log('| target | load | requests/s | p50 ms | p99 ms | errors | peak RSS MiB |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.target} | ${r.mode} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.peakRssMb.toFixed(0)} |`,
    );
  }
  const find = (target: string, mode: string) =>
    results.find((r) => r.target.startsWith(target) && r.mode === mode) as Measure;
  const baseline = find('baseline', 'max');
  for (const adapter of ['Fastify', 'Express']) {
    const gateway = find(`gateway, ${adapter}`, 'max');
    const fixedDelta =
      find(`gateway, ${adapter}`, `${FIXED_RATE}/s`).p99 - find('baseline', `${FIXED_RATE}/s`).p99;
    console.log(
      `\n${adapter}: throughput ratio gateway/baseline ${(gateway.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)} (target ≥ 1.0); ` +
        `p99 at ${FIXED_RATE}/s ${fixedDelta >= 0 ? '+' : ''}${fixedDelta} ms vs baseline (target ≤ +5 ms)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
