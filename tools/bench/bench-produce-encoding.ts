// Encodes produce requests the way the gateway's records look (a ~2.4 KB lead, eleven CloudEvents headers) with
// kafkajs' own encoder and with libs/messaging's one-pass encoder, both framed by kafkajs as it sends them, and
// prints microseconds per request and, per 10,000 requests, the garbage collections and their time (kafkajs'
// zero-filled buffers are outside V8's heap and are collected by full GCs, so both kinds are counted).
// No broker: only the encoding. Run: npx tsx tools/bench/bench-produce-encoding.ts
import { cpus } from 'node:os';
import { PerformanceObserver, constants, performance, type PerformanceEntry } from 'node:perf_hooks';
// @ts-expect-error kafkajs ships no types for its protocol internals
import frameRequest from 'kafkajs/src/protocol/request';
// @ts-expect-error kafkajs ships no types for its protocol internals
import kafkajsProduceV3 from 'kafkajs/src/protocol/requests/produce/v3/request';
import { encodeProduceRequestBody, type ProduceRequestArgs } from '@lead-delivery/messaging';

const REQUESTS_PER_ROUND = Number(process.env['REQUESTS_PER_ROUND'] ?? 5_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 7);

function leadRecord(index: number) {
  const lead = {
    leadId: `lead-${index}`,
    accountId: 'acct-bench',
    contact: { name: 'Jane Example', email: 'jane@example.com', phone: '+1 555 0100' },
    message: 'I would like to see this property this weekend. '.repeat(40),
  };
  return {
    key: `acct-bench:lead-${index}`,
    value: JSON.stringify(lead),
    headers: {
      ce_specversion: '1.0',
      ce_id: `0196f3a0-0000-7000-8000-${String(index).padStart(12, '0')}`,
      ce_type: 'com.realtor.lead.received.v1',
      ce_source: '/lead-delivery/gateway',
      ce_time: new Date(1_765_000_000_000 + index).toISOString(),
      ce_subject: `acct-bench:lead-${index}`,
      'content-type': 'application/json',
      account_id: 'acct-bench',
      lead_kind: 'standard',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'x-request-id': `req-${index}`,
    },
  };
}

function produceArgs(records: number, partitions: number): ProduceRequestArgs {
  return {
    acks: -1,
    timeout: 30_000,
    producerId: '1001',
    producerEpoch: 0,
    topicData: [
      {
        topic: 'leads.received.v1',
        partitions: Array.from({ length: partitions }, (_, partition) => ({
          partition,
          firstSequence: 100,
          messages: Array.from({ length: records / partitions }, (_, index) => leadRecord(index)),
        })),
      },
    ],
  };
}

type Encode = (args: ProduceRequestArgs) => Promise<{ buffer: Buffer }>;

const encoders: Record<string, Encode> = {
  kafkajs: (args) => frame(() => kafkajsProduceV3(args).encode()),
  'one pass': (args) => frame(async () => encodeProduceRequestBody(args)),
};

function frame(encode: () => Promise<unknown>): Promise<{ buffer: Buffer }> {
  return frameRequest({ correlationId: 1, clientId: 'bench', request: { apiKey: 0, apiVersion: 7, encode } });
}

const gcs = { minor: 0, major: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gcs.minor += 1;
    else gcs.major += 1;
    gcs.ms += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });

interface RoundResult {
  micros: number;
  minor: number;
  major: number;
  gcMs: number;
}

async function round(encode: Encode, args: ProduceRequestArgs): Promise<RoundResult> {
  const before = { ...gcs };
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < REQUESTS_PER_ROUND; i += 1) bytes += (await encode(args)).buffer.length;
  const micros = ((performance.now() - start) * 1_000) / REQUESTS_PER_ROUND;
  await new Promise((resolve) => setTimeout(resolve, 10)); // let the GC entries of the round arrive
  if (bytes === 0) throw new Error('nothing was encoded');
  const per10k = (value: number) => (value * 10_000) / REQUESTS_PER_ROUND;
  return {
    micros,
    minor: per10k(gcs.minor - before.minor),
    major: per10k(gcs.major - before.major),
    gcMs: per10k(gcs.ms - before.ms),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const now = Date.now();
  Date.now = () => now; // both encoders stamp records without a timestamp with Date.now(): equal bytes to compare
  console.log(
    `${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${ROUNDS} rounds of ${REQUESTS_PER_ROUND}`,
  );
  console.log(
    '| request | encoder | µs per request (median; min–max) | per 10,000 requests: scavenges, full GCs, GC ms |',
  );
  console.log('| --- | --- | ---: | ---: |');
  for (const [label, records, partitions] of [
    ['1 record', 1, 1],
    ['10 records, 3 partitions', 12, 3],
    ['100 records, 4 partitions', 100, 4],
  ] as const) {
    const args = produceArgs(records, partitions);
    const expected = (await encoders['kafkajs'](args)).buffer;
    const runs: Record<string, RoundResult[]> = {};
    for (const [name, encode] of Object.entries(encoders)) {
      if (!(await encode(args)).buffer.equals(expected)) throw new Error(`${name} differs from kafkajs`);
      runs[name] = [];
    }
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const [name, encode] of Object.entries(encoders)) {
        runs[name].push(await round(encode, args));
      }
    }
    for (const [name, results] of Object.entries(runs)) {
      const micros = results.map((result) => result.micros);
      const range = `${Math.min(...micros).toFixed(1)}–${Math.max(...micros).toFixed(1)}`;
      const gc = (['minor', 'major', 'gcMs'] as const).map((key) =>
        median(results.map((r) => r[key])).toFixed(1),
      );
      console.log(`| ${label} | ${name} | ${median(micros).toFixed(1)} (${range}) | ${gc.join(', ')} |`);
    }
  }
}

void main();
