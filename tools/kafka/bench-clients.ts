// `npm run bench:kafka-clients`: kafkajs against @platformatic/kafka on a dedicated broker (tools/kafka,
// instance `bench-clients`, started fresh and stopped at the end). Each client runs in its own process
// (bench-clients.worker.ts) so its RSS is its own; rounds alternate the clients so drift on the shared
// cores hits both. Prints a Markdown table.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { WorkerResult } from './bench-clients.worker';

const ROOT = join(__dirname, '..', '..');
const KAFKA_CLI = join(__dirname, 'kafka.mjs');
const NAME = 'bench-clients';
const PORT = Number(process.env['BENCH_CLIENTS_PORT'] ?? 19_501);
const ROUNDS = Number(process.env['BENCH_CLIENTS_ROUNDS'] ?? 2);
const CLIENTS = ['kafkajs', 'platformatic'];
const PARTITIONS = 3;

async function main(): Promise<void> {
  execFileSync(process.execPath, [KAFKA_CLI, 'start', '--name', NAME, '--port', String(PORT), '--fresh'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const brokers = `127.0.0.1:${PORT}`;
  const version = execFileSync(process.execPath, [KAFKA_CLI, 'version'], { encoding: 'utf8' }).trim();
  try {
    // Unreported: creates __consumer_offsets and warms the broker's JIT, which round 1 would otherwise pay.
    await createTopic(brokers, 'bench.warm-up');
    runWorker('kafkajs', brokers, 'bench.warm-up', { BENCH_CLIENTS_RECORDS: '5000' });
    const results: WorkerResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const client of CLIENTS) {
        const topic = `bench.${client}.${round}`;
        await createTopic(brokers, topic);
        results.push(runWorker(client, brokers, topic));
        console.error(`round ${round}: ${client} done`);
      }
    }
    print(results, version);
  } finally {
    execFileSync(process.execPath, [KAFKA_CLI, 'stop', '--name', NAME], { stdio: 'ignore' });
  }
}

async function createTopic(brokers: string, topic: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'bench-admin',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
}

function runWorker(
  client: string,
  brokers: string,
  topic: string,
  env: Record<string, string> = {},
): WorkerResult {
  const out = execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(__dirname, 'bench-clients.worker.ts'), client, brokers, topic],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 600_000,
      env: { ...process.env, ...env },
    },
  );
  return JSON.parse(out.trim().split('\n').pop() as string) as WorkerResult;
}

function print(results: WorkerResult[], version: string): void {
  const cpu = cpus();
  const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  console.log(
    `\nbench:kafka-clients — ${new Date().toISOString().slice(0, 10)}, ${cpu.length} × ${cpu[0]?.model.trim()}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Kafka ${version}, commit ${sha}; ` +
      `topic of ${PARTITIONS} partitions, ~1 KB values + 9 headers\n`,
  );
  console.log(
    '| client | produce, batches of 500 (records/s) | produce, 1 record per send × 64 concurrent (records/s) | consume (records/s) | group join + first fetch ms | RSS MiB: bare / client loaded / peak |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.client} | ${r.batchedPerSecond.toFixed(0)} | ${r.concurrentPerSecond.toFixed(0)} | ${r.consumedPerSecond.toFixed(0)} | ${r.consumeJoinMs.toFixed(0)} | ${r.bareRssMb.toFixed(0)} / ${r.loadedRssMb.toFixed(0)} / ${r.peakRssMb.toFixed(0)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
