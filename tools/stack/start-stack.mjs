#!/usr/bin/env node
// `npm start`: the local stack. Kafka from KAFKA_BROKERS if set, else a real single-node broker from
// tools/kafka; PostgreSQL from DATABASE_URL, else the local server. Ctrl-C stops what it started.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NX_DAEMON: 'false' };
const node = (args, options = {}) => spawnSync(process.execPath, args, { cwd: root, env, ...options });

function fail(message) {
  console.error(`\n✘ ${message}`);
  process.exit(1);
}

let startedKafka = false;
if (!env.KAFKA_BROKERS) {
  const start = node([join(root, 'tools/kafka/kafka.mjs'), 'start', '--name', 'local', '--port', '9092'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const brokers = /KAFKA_BROKERS=(\S+)/.exec(start.stdout ?? '')?.[1];
  if (start.status !== 0 || !brokers) {
    fail(
      'No Kafka broker: set KAFKA_BROKERS, or install Java 17+ and Maven so tools/kafka can run one, ' +
        'or use Docker: docker compose -f docker/compose.yaml up',
    );
  }
  env.KAFKA_BROKERS = brokers;
  startedKafka = true;
}

if (
  node([join(root, 'node_modules/.bin/tsx'), 'tools/kafka/provision-topics.ts'], { stdio: 'inherit' })
    .status !== 0
) {
  fail(`Kafka at ${env.KAFKA_BROKERS} does not accept topic provisioning.`);
}
if (
  !env.DATABASE_URL &&
  node([join(root, 'tools/test/ensure-postgres.mjs')], { stdio: 'inherit' }).status !== 0
) {
  fail('No PostgreSQL: set DATABASE_URL, or start a local server, or use docker/compose.yaml.');
}

console.log(`\nLead Delivery Platform (local)
  Kafka       ${env.KAFKA_BROKERS}${startedKafka ? ' (tools/kafka, instance "local")' : ''}
  PostgreSQL  ${env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432'}
Press Ctrl-C to stop.`);

function stop() {
  if (startedKafka)
    node([join(root, 'tools/kafka/kafka.mjs'), 'stop', '--name', 'local'], { stdio: 'inherit' });
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
