// `npm start`: the whole stack locally. Kafka from KAFKA_BROKERS if set, else a real single-node broker
// from tools/kafka; PostgreSQL from DATABASE_URL, else the local server (database `lead_delivery`); then
// every app and the CRM sandbox, built with Nx. Ctrl-C stops everything it started.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { LOCAL_OPERATOR_TOKEN, stackServices, type StackService } from './services';
import { buildServices, startServices, type RunningStack } from './stack';

const root = join(__dirname, '..', '..');
const offset = Number(process.env.STACK_PORT_OFFSET ?? 0);
const logDir = join(root, '.cache', 'stack', `logs${offset ? `-${offset}` : ''}`);
const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false' };
const node = (args: string[], options: SpawnSyncOptions = {}) =>
  spawnSync(process.execPath, args, { cwd: root, env, ...options });
let stack: RunningStack | undefined;
let startedKafka = false;
let stopping = false;

async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await stack?.stopAll();
  if (startedKafka)
    node([join(root, 'tools/kafka/kafka.mjs'), 'stop', '--name', 'local'], { stdio: 'inherit' });
}

async function fail(message: string): Promise<never> {
  console.error(`\n✘ ${message}`);
  await stopAll();
  process.exit(1);
}

function ensureKafka(): void {
  if (env.KAFKA_BROKERS) return;
  const start = node([join(root, 'tools/kafka/kafka.mjs'), 'start', '--name', 'local', '--port', '9092'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const brokers = /KAFKA_BROKERS=(\S+)/.exec(String(start.stdout ?? ''))?.[1];
  if (start.status !== 0 || !brokers) {
    throw new Error(
      'No Kafka broker: set KAFKA_BROKERS, or install Java 17+ and Maven so tools/kafka can run one, ' +
        'or use Docker: docker compose -f docker/compose.yaml up',
    );
  }
  env.KAFKA_BROKERS = brokers;
  startedKafka = true;
}

async function ensureDatabase(): Promise<void> {
  if (env.DATABASE_URL) return;
  if (node([join(root, 'tools/test/ensure-postgres.mjs')], { stdio: 'inherit' }).status !== 0) {
    throw new Error('No PostgreSQL: set DATABASE_URL, or start a local server, or use docker/compose.yaml.');
  }
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'lead_delivery'");
  if (rowCount === 0) await admin.query('CREATE DATABASE lead_delivery');
  await admin.end();
  env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/lead_delivery';
}

async function main(): Promise<void> {
  ensureKafka();
  if (
    node([join(root, 'node_modules/.bin/tsx'), 'tools/kafka/provision-topics.ts'], { stdio: 'inherit' })
      .status !== 0
  ) {
    throw new Error(`Kafka at ${env.KAFKA_BROKERS} does not accept topic provisioning.`);
  }
  await ensureDatabase();
  const brokers = env.KAFKA_BROKERS as string;
  const database = env.DATABASE_URL as string;
  console.log('stack: building the apps (cached after the first time)');
  buildServices(root, stackServices({ root, kafkaBrokers: brokers, databaseUrl: database }), env);
  stack = startServices({
    root,
    offset,
    kafkaBrokers: brokers,
    databaseUrl: database,
    logDir,
    env,
    onUnexpectedExit: (service: StackService, code, signal) =>
      void fail(
        `${service.name} exited (${signal ?? `code ${code}`}); see ${join(logDir, `${service.name}.log`)}`,
      ),
  });
  console.log(
    `stack: started ${stack.services.length} services, logs in ${logDir}; waiting until they are ready`,
  );
  await stack.waitAllReady();

  console.log(`
Lead Delivery Platform is running
  gateway        ${stack.url('gateway')}/lead-delivery        (health ${stack.url('gateway')}/health/ready, metrics /metrics)
  console        ${stack.url('persistence')}/console/           (sign in with the operator token ${LOCAL_OPERATOR_TOKEN})
  read API       ${stack.url('persistence')}/leads              (Authorization: Bearer ${LOCAL_OPERATOR_TOKEN})
  CRM sandbox    ${stack.url('crm-sandbox')}/sandbox
  Kafka          ${brokers}${startedKafka ? ' (tools/kafka, instance "local")' : ''}
  PostgreSQL     ${database.replace(/\/\/[^@]*@/, '//…@')}
  logs           ${logDir}

Post a lead:
  curl -s -X POST ${stack.url('gateway')}/lead-delivery -H 'Content-Type: application/json' -H 'X-API-Key: local-austin-key' \\
    -d '{"lead_id":"demo-1","contact":{"first_name":"Ana","email":"ana@example.com","phone":"512-555-0100"},"timestamp":"${new Date().toISOString()}","message":"Can I tour it Saturday?"}'
Then: curl -s ${stack.url('persistence')}/accounts/acct-austin-brokerage/leads/demo-1 -H 'Authorization: Bearer ${LOCAL_OPERATOR_TOKEN}'
Or run: npm run demo
Operator console: ${stack.url('persistence')}/console/
Press Ctrl-C to stop.`);
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(0)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(0)));
main().catch((error: unknown) => fail((error as Error).message));
