// kafkajs' own protocol code against libs/messaging's one-pass replacements, on records shaped like the gateway's
// (a ~2.4 KB lead, eleven CloudEvents headers): produce requests encoded and framed as kafkajs sends them, and
// Fetch v11 responses decoded as a consumer receives them. Prints microseconds per operation and, per 10,000
// operations, the garbage collections and their time (kafkajs' zero-filled buffers are outside V8's heap and are
// collected by full GCs, so both kinds are counted). No broker: only the protocol code.
// Run: npm run bench:kafka-protocol
import { cpus } from 'node:os';
import { PerformanceObserver, constants, performance, type PerformanceEntry } from 'node:perf_hooks';
// @ts-expect-error kafkajs ships no types for its protocol internals
import frameRequest from 'kafkajs/src/protocol/request';
// @ts-expect-error kafkajs ships no types for its protocol internals
import kafkajsProduceV3 from 'kafkajs/src/protocol/requests/produce/v3/request';
// @ts-expect-error kafkajs ships no types for its protocol internals
import { RecordBatch } from 'kafkajs/src/protocol/recordBatch/v0';
// @ts-expect-error kafkajs ships no types for its protocol internals
import KafkajsRecord from 'kafkajs/src/protocol/recordBatch/record/v0';
// @ts-expect-error kafkajs ships no types for its protocol internals
import kafkajsFetchV11 from 'kafkajs/src/protocol/requests/fetch/v11/response';
// @ts-expect-error kafkajs ships no types for its protocol internals
import Encoder from 'kafkajs/src/protocol/encoder';
import { isDeepStrictEqual } from 'node:util';
import {
  decodeFetchResponse,
  encodeProduceRequestBody,
  type ProduceRequestArgs,
} from '@lead-delivery/messaging';

const REQUESTS_PER_ROUND = Number(process.env['BENCH_PROTOCOL_OPERATIONS'] ?? 5_000);
const ROUNDS = Number(process.env['BENCH_PROTOCOL_ROUNDS'] ?? 7);

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

/** A Fetch v11 response of one partition holding `records` lead records in batches of `perBatch`. */
async function fetchResponse(records: number, perBatch: number): Promise<Buffer> {
  const batches: Buffer[] = [];
  for (let first = 0; first < records; first += perBatch) {
    const batch = Array.from({ length: Math.min(perBatch, records - first) }, (_, offsetDelta) =>
      KafkajsRecord({ offsetDelta, timestampDelta: offsetDelta, ...leadRecord(first + offsetDelta) }),
    );
    const encoded = await RecordBatch({
      firstOffset: 1_000_000 + first,
      firstTimestamp: 1_765_000_000_000,
      maxTimestamp: 1_765_000_000_000 + batch.length,
      producerId: 1001,
      lastOffsetDelta: batch.length - 1,
      records: batch,
    });
    batches.push(encoded.buffer);
  }
  const out = new Encoder()
    .writeInt32(0)
    .writeInt16(0)
    .writeInt32(0)
    .writeInt32(1)
    .writeString('leads.received.v1');
  out.writeInt32(1).writeInt32(0).writeInt16(0).writeInt64('2000000').writeInt64('2000000').writeInt64('0');
  out.writeInt32(0).writeInt32(-1).writeBytes(Buffer.concat(batches));
  return out.buffer;
}

/** One operation of a variant; resolves to a size so that nothing is optimised away. */
type Operation = () => Promise<number>;

function frame(encode: () => Promise<unknown>): Promise<{ buffer: Buffer }> {
  return frameRequest({ correlationId: 1, clientId: 'bench', request: { apiKey: 0, apiVersion: 7, encode } });
}

async function produceCase(records: number, partitions: number): Promise<Record<string, Operation>> {
  const args = produceArgs(records, partitions);
  const kafkajs = async () => (await frame(() => kafkajsProduceV3(args).encode())).buffer;
  const onePass = async () => (await frame(async () => encodeProduceRequestBody(args))).buffer;
  if (!(await onePass()).equals(await kafkajs()))
    throw new Error('the one-pass request differs from kafkajs');
  return { kafkajs: async () => (await kafkajs()).length, 'one pass': async () => (await onePass()).length };
}

async function fetchCase(records: number, perBatch: number): Promise<Record<string, Operation>> {
  const rawData = await fetchResponse(records, perBatch);
  const onePass = decodeFetchResponse(rawData);
  if (!onePass || !isDeepStrictEqual(onePass, await kafkajsFetchV11.decode(rawData)))
    throw new Error('the one-walk decoding differs from kafkajs');
  const count = (decoded: { responses: { partitions: { messages: unknown[] }[] }[] } | undefined) =>
    decoded?.responses[0].partitions[0].messages.length ?? 0;
  return {
    kafkajs: async () => count(await kafkajsFetchV11.decode(rawData)),
    'one walk': async () => count(decodeFetchResponse(rawData)),
  };
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

async function round(operation: Operation, times: number): Promise<RoundResult> {
  const before = { ...gcs };
  const start = performance.now();
  let total = 0;
  for (let i = 0; i < times; i += 1) total += await operation();
  const micros = ((performance.now() - start) * 1_000) / times;
  await new Promise((resolve) => setTimeout(resolve, 10)); // let the GC entries of the round arrive
  if (total === 0) throw new Error('the operation did nothing');
  const per10k = (value: number) => (value * 10_000) / times;
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
  console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${ROUNDS} rounds alternated`);
  console.log(
    '| operation | code | µs per operation (median; min–max) | per 10,000 operations: scavenges, full GCs, GC ms |',
  );
  console.log('| --- | --- | ---: | ---: |');
  const cases: [string, Promise<Record<string, Operation>>, number][] = [
    ['produce request, 1 record', produceCase(1, 1), REQUESTS_PER_ROUND],
    ['produce request, 12 records in 3 partitions', produceCase(12, 3), REQUESTS_PER_ROUND / 5],
    ['produce request, 100 records in 4 partitions', produceCase(100, 4), REQUESTS_PER_ROUND / 25],
    ['fetch response, 1,000 records in batches of 100', fetchCase(1_000, 100), REQUESTS_PER_ROUND / 100],
  ];
  for (const [label, variantsPromise, times] of cases) {
    const variants = await variantsPromise;
    const runs = new Map<string, RoundResult[]>(Object.keys(variants).map((name) => [name, []]));
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const [name, operation] of Object.entries(variants))
        runs.get(name)?.push(await round(operation, times));
    }
    for (const [name, results] of runs) {
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
