#!/usr/bin/env node
// Local single-node Apache Kafka (KRaft) from Maven Central jars. See README.md.
// Usage: node tools/kafka/kafka.mjs fetch | start [--port N] [--name NAME] [--fresh] [--sasl]
//        | add-user USER [--name NAME] (password on stdin) | stop [--name NAME] | status [--name NAME] | version
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOL_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(TOOL_DIR, '../..');
const CACHE = path.join(REPO, '.cache', 'kafka');
const DEFAULT_VERSION = '4.3.1';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const CLUSTER_ID = '4L6g3nShT-eMCtK--X86sw'; // fixed: the data dir is reused across restarts
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const STARTED_MESSAGE = 'Kafka Server started';
// For the tools that run once (format, kafka-configs): C1 only and the serial GC start about twice as fast.
const ONE_SHOT_JVM = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
// SASL mode: clients authenticate with SCRAM-SHA-512; ADMIN_USER is the super user the broker and the
// controller also use between themselves.
const SCRAM_MECHANISM = 'SCRAM-SHA-512';
const ADMIN_USER = 'admin';
// The SCRAM config syntax (`SCRAM-SHA-512=[name=...,password=...]`) has no escaping.
const CREDENTIAL_PATTERN = /^[A-Za-z0-9_.@-]+$/;
const PASSWORD_PATTERN = /^[^\s,[\]=\\"]+$/;

export const kafkaVersion = () => process.env.KAFKA_VERSION || DEFAULT_VERSION;
const log = (msg) => process.stderr.write(`kafka: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const libsDir = (version) => path.join(CACHE, version, 'libs');
const stateDir = (name) => path.join(CACHE, 'run', name);
const majorOf = (version) => Number(version.split('.')[0]);

function requireTools(cmds, version) {
  const missing = cmds.filter((cmd) => spawnSync(cmd, ['-version'], { stdio: 'ignore' }).error);
  if (missing.length) {
    throw new Error(
      `missing ${missing.join(' and ')} on PATH (Kafka ${version} needs a JDK 17+ and Maven 3)`,
    );
  }
}

function checkJava(version) {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (res.error) requireTools(['java'], version);
  const m = res.stderr.match(/version "(\d+)(?:\.(\d+))?/);
  const major = m ? Number(m[1] === '1' ? m[2] : m[1]) : 0;
  // Kafka 4.x brokers are compiled for Java 17.
  if (majorOf(version) >= 4 && major < 17)
    throw new Error(`Kafka ${version} needs Java 17+, found ${major || 'unknown'}`);
}

// Runs a child to completion, passing SIGINT/SIGTERM on so an interrupted fetch leaves no orphan mvn.
function runChild(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const forward = (sig) => {
      child.kill(sig);
      cleanup();
      process.kill(process.pid, sig);
    };
    const cleanup = () => ['SIGINT', 'SIGTERM'].forEach((sig) => process.removeListener(sig, forward));
    ['SIGINT', 'SIGTERM'].forEach((sig) => process.on(sig, forward));
    child.on('error', (err) => {
      cleanup();
      reject(err);
    });
    child.on('close', (code, signal) => {
      cleanup();
      resolve({ code, signal, output });
    });
  });
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// Left behind when a fetch was killed by a signal.
function removeStaleTmpDirs(dir) {
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const m = entry.match(/^libs\.(\d+)\.tmp$/);
    if (m && !pidAlive(Number(m[1]))) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

const markerValid = (marker, hash) =>
  fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === hash;

export async function fetchKafka({ version = kafkaVersion() } = {}) {
  const libs = libsDir(version);
  // The marker holds a hash of pom.xml, so editing the pom (e.g. the log4j version) refetches.
  const marker = path.join(CACHE, version, '.complete');
  const pomHash = createHash('sha256')
    .update(fs.readFileSync(path.join(TOOL_DIR, 'pom.xml')))
    .digest('hex');
  if (markerValid(marker, pomHash)) return libs;
  requireTools(['java', 'mvn'], version);
  // Copy into a private dir and move it into place when complete: an interrupted or concurrent
  // fetch never leaves a half-filled libs dir behind the marker.
  const tmp = `${libs}.${process.pid}.tmp`;
  removeStaleTmpDirs(path.dirname(libs));
  fs.mkdirSync(tmp, { recursive: true });
  log(`fetching Kafka ${version} jars from Maven into ${path.relative(REPO, libs)}`);
  const args = ['-B', '-q', '-Dstyle.color=never', '-f', path.join(TOOL_DIR, 'pom.xml')];
  if (process.env.MAVEN_SETTINGS) args.push('-s', process.env.MAVEN_SETTINGS);
  args.push(
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    `-Dkafka.version=${version}`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${tmp}`,
  );
  try {
    const res = await runChild('mvn', args, { cwd: REPO });
    // stdout is reserved for the KAFKA_BROKERS line, so Maven's output goes to stderr
    // (minus the stray ANSI resets Maven 3.8 prints even with -B -q).
    // eslint-disable-next-line no-control-regex -- matching the ESC of ANSI colour codes is the point
    const output = res.output.replace(/\x1b\[[0-9;]*m/g, '').trim();
    if (output) process.stderr.write(`${output}\n`);
    if (res.code !== 0)
      throw new Error(`mvn failed (${res.signal ?? `exit ${res.code}`}) fetching Kafka ${version}`);
    if (!fs.existsSync(path.join(tmp, `kafka_2.13-${version}.jar`))) {
      throw new Error(`kafka_2.13-${version}.jar missing after mvn copy-dependencies`);
    }
    if (!markerValid(marker, pomHash)) {
      fs.rmSync(libs, { recursive: true, force: true });
      fs.renameSync(tmp, libs);
      fs.writeFileSync(marker, `${pomHash}\n`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return libs;
}

function readPid(state) {
  const file = path.join(state, 'broker.pid');
  const pid = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) : 0;
  return pid > 0 ? pid : null;
}

function isKafkaPid(pid) {
  if (!pidAlive(pid)) return false;
  // Guard against pid reuse after a reboot or kill -9.
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function randomFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// The super user's credentials, generated when a SASL broker's storage is formatted.
const adminFile = (state) => path.join(state, 'sasl-admin.json');
const readAdmin = (state) => readJson(adminFile(state));
function writePrivate(file, content) {
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // mode applies only when the file is created
}

export async function kafkaStatus({ name = 'local' } = {}) {
  const state = stateDir(name);
  const info = readJson(path.join(state, 'broker.json')) ?? {};
  const pid = readPid(state);
  const running = pid !== null && isKafkaPid(pid) && info.port != null && (await portOpen(info.port));
  return {
    running,
    name,
    pid,
    port: info.port ?? null,
    version: info.version ?? null,
    brokers: info.port ? `127.0.0.1:${info.port}` : null,
    sasl: info.sasl ? { mechanism: SCRAM_MECHANISM, ...readAdmin(state) } : null,
    stateDir: state,
  };
}

const scramLogin = ({ username, password }) =>
  `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;

function listenerProperties({ port, controllerPort, admin }) {
  const listeners = (client) => ({
    listeners: `${client}://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `${client}://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': client,
  });
  if (!admin) {
    return {
      ...listeners('PLAINTEXT'),
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    };
  }
  const { username, password } = admin;
  return {
    ...listeners('SASL_PLAINTEXT'),
    'listener.security.protocol.map': 'CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    'sasl.enabled.mechanisms': SCRAM_MECHANISM,
    'sasl.mechanism.inter.broker.protocol': SCRAM_MECHANISM,
    [`listener.name.sasl_plaintext.${SCRAM_MECHANISM.toLowerCase()}.sasl.jaas.config`]: scramLogin(admin),
    // SCRAM credentials live in the metadata log, which the controller has to read before it could check
    // them, so KRaft's controller listener cannot use SCRAM; PLAIN with the same super user instead.
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config':
      'org.apache.kafka.common.security.plain.PlainLoginModule required ' +
      `username="${username}" password="${password}" user_${username}="${password}";`,
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${username}`,
    'allow.everyone.if.no.acl.found': false,
  };
}

function serverProperties({ version, port, controllerPort, dataDir, admin }) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    ...listenerProperties({ port, controllerPort, admin }),
    'log.dirs': dataDir,
    'num.partitions': 1,
    // Topics are provisioned explicitly; internal topics (__consumer_offsets,
    // __transaction_state) are still created on demand by the broker.
    'auto.create.topics.enable': false,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.network.threads': 2,
    'num.io.threads': 2,
    // After kill -9 the restarted broker is refused (DUPLICATE_BROKER_REGISTRATION) until its
    // old registration's session expires: 9 s by default.
    'broker.heartbeat.interval.ms': 1000,
    'broker.session.timeout.ms': 3000,
    // The 128 MiB default is allocated on the heap when the cleaner starts.
    'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
  };
  if (majorOf(version) >= 4) {
    props['share.coordinator.state.topic.replication.factor'] = 1;
    props['share.coordinator.state.topic.min.isr'] = 1;
  }
  return (
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n'
  );
}

// One Log4j 2 config for every version (3.9 reaches it through log4j-1.2-api).
const log4j2Config = (level) => `status = warn
# Keep logging alive while Kafka's own shutdown hook runs.
shutdownHook = disable
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = ${level}
rootLogger.appenderRef.out.ref = STDOUT
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = info
`;

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no broker.log)';
  }
}

async function pickControllerPort(port, previous) {
  for (const candidate of [previous, port + 1000]) {
    if (candidate && candidate !== port && candidate < 65536 && (await portFree(candidate))) return candidate;
  }
  return randomFreePort();
}

export async function startKafka({
  port = 9092,
  name = 'local',
  fresh = false,
  sasl = false,
  version = kafkaVersion(),
} = {}) {
  const state = stateDir(name);
  const dataDir = path.join(state, 'data');
  const brokerLog = path.join(state, 'broker.log');
  const pidFile = path.join(state, 'broker.pid');

  const status = await kafkaStatus({ name });
  if (status.running) {
    if (fresh) throw new Error(`broker "${name}" is running; stop it before --fresh`);
    if (Boolean(status.sasl) !== sasl) {
      throw new Error(`broker "${name}" is running ${sasl ? 'without' : 'with'} SASL; stop it first`);
    }
    log(`broker "${name}" already running (pid ${status.pid}, Kafka ${status.version})`);
    return status;
  }
  if (status.pid !== null && isKafkaPid(status.pid)) {
    throw new Error(
      `broker "${name}" (pid ${status.pid}) is alive but not accepting connections; run stop first`,
    );
  }
  if (!(await portFree(port))) throw new Error(`port ${port} is already in use`);

  const libs = await fetchKafka({ version });
  checkJava(version);

  const previous = readJson(path.join(state, 'broker.json'));
  if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  else if (previous?.version && previous.version !== version && fs.existsSync(dataDir)) {
    log(
      `warning: data dir was last used by Kafka ${previous.version}; use --fresh if the broker fails to start`,
    );
  }
  fs.mkdirSync(dataDir, { recursive: true });

  const formatted = fs.existsSync(path.join(dataDir, 'meta.properties'));
  const admin = sasl ? saslAdmin(state, formatted, name) : null;
  if (!sasl && !formatted) fs.rmSync(adminFile(state), { force: true });

  const controllerPort = await pickControllerPort(port, previous?.controllerPort);
  const propsFile = path.join(state, 'server.properties');
  const log4jFile = path.join(state, 'log4j2.properties');
  // Private: in SASL mode it holds the super user's password.
  writePrivate(propsFile, serverProperties({ version, port, controllerPort, dataDir, admin }));
  fs.writeFileSync(log4jFile, log4j2Config(process.env.KAFKA_LOG_LEVEL || 'warn'));
  if (admin) writePrivate(adminClientFile(state), adminClientProperties(admin));

  const classpath = ['-cp', path.join(libs, '*')];
  const logging = [`-Dlog4j2.configurationFile=${log4jFile}`, `-Dkafka.logs.dir=${state}`];
  if (!formatted) {
    log(`formatting ${path.relative(REPO, dataDir)}${admin ? ` with SCRAM user "${admin.username}"` : ''}`);
    const res = spawnSync(
      'java',
      [
        '-Xmx256m',
        ...ONE_SHOT_JVM,
        ...logging,
        ...classpath,
        'kafka.tools.StorageTool',
        'format',
        '-g',
        '-t',
        CLUSTER_ID,
        '-c',
        propsFile,
        // KRaft brokers authenticate to each other before any credential could be created through them.
        ...(admin ? ['--add-scram', scramCredential(admin)] : []),
      ],
      { encoding: 'utf8' },
    );
    if (res.status !== 0) throw new Error(`kafka-storage format failed:\n${res.stdout}${res.stderr}`);
  }

  // Keep the previous log around: after a crash it is the interesting one.
  if (fs.existsSync(brokerLog)) fs.renameSync(brokerLog, `${brokerLog}.prev`);
  const out = fs.openSync(brokerLog, 'w');
  const child = spawn(
    'java',
    [
      '-Xms128m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      ...logging,
      ...classpath,
      'kafka.Kafka',
      propsFile,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = signal ?? `code ${code}`;
  });
  child.unref();
  fs.writeFileSync(pidFile, `${child.pid}\n`);
  log(`started Kafka ${version} (pid ${child.pid}), waiting for 127.0.0.1:${port}`);

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      fs.rmSync(pidFile, { force: true });
      throw new Error(`broker exited (${exited}) during startup. Tail of ${brokerLog}:\n${tail(brokerLog)}`);
    }
    if ((await portOpen(port)) && fs.readFileSync(brokerLog, 'utf8').includes(STARTED_MESSAGE)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      fs.rmSync(pidFile, { force: true });
      throw new Error(
        `broker not ready after ${START_TIMEOUT_MS / 1000}s. Tail of ${brokerLog}:\n${tail(brokerLog)}`,
      );
    }
    await sleep(200);
  }
  child.removeAllListeners('exit');

  const info = { pid: child.pid, port, controllerPort, version, sasl, startedAt: new Date().toISOString() };
  fs.writeFileSync(path.join(state, 'broker.json'), `${JSON.stringify(info, null, 2)}\n`);
  return {
    running: true,
    name,
    ...info,
    brokers: `127.0.0.1:${port}`,
    sasl: admin ? { mechanism: SCRAM_MECHANISM, ...admin } : null,
    stateDir: state,
  };
}

/** The super user of a SASL broker: the one its storage was formatted with, or a new one before formatting. */
function saslAdmin(state, formatted, name) {
  if (formatted) {
    const admin = readAdmin(state);
    if (!admin) throw new Error(`data dir of "${name}" was formatted without SASL; start with --fresh`);
    return admin;
  }
  const admin = { username: ADMIN_USER, password: randomBytes(24).toString('hex') };
  writePrivate(adminFile(state), `${JSON.stringify(admin, null, 2)}\n`);
  return admin;
}

const scramCredential = ({ username, password }) =>
  `${SCRAM_MECHANISM}=[name=${username},password=${password}]`;

// Client config of the super user, for Kafka's CLI tools (`--command-config`).
const adminClientFile = (state) => path.join(state, 'admin.properties');
const adminClientProperties = (admin) =>
  `security.protocol=SASL_PLAINTEXT\nsasl.mechanism=${SCRAM_MECHANISM}\nsasl.jaas.config=${scramLogin(admin)}\n`;

/**
 * Creates (or changes the password of) a SCRAM-SHA-512 user on a running SASL broker, as its super user.
 * KafkaJS has no AlterUserScramCredentials, so this runs Kafka's own ConfigCommand (kafka-configs).
 */
export async function addScramUser({ name = 'local', user, password }) {
  if (!CREDENTIAL_PATTERN.test(user ?? '')) throw new Error('the user name may only use [A-Za-z0-9_.@-]');
  if (!PASSWORD_PATTERN.test(password ?? '')) {
    throw new Error('the password must be non-empty, without whitespace, commas, brackets, = or quotes');
  }
  const status = await kafkaStatus({ name });
  if (!status.running) throw new Error(`broker "${name}" is not running`);
  if (!status.sasl) throw new Error(`broker "${name}" runs without SASL (start it with --sasl)`);
  // A file rather than --add-config keeps the password off the command line (and out of `ps`).
  const configFile = path.join(status.stateDir, `scram-user.${process.pid}.properties`);
  writePrivate(configFile, `${SCRAM_MECHANISM}=password=${password}\n`);
  try {
    const res = await runChild(
      'java',
      [
        '-Xmx128m',
        ...ONE_SHOT_JVM,
        `-Dlog4j2.configurationFile=${path.join(status.stateDir, 'log4j2.properties')}`,
        '-cp',
        path.join(libsDir(status.version), '*'),
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        status.brokers,
        '--command-config',
        adminClientFile(status.stateDir),
        '--alter',
        '--entity-type',
        'users',
        '--entity-name',
        user,
        '--add-config-file',
        configFile,
      ],
      { cwd: REPO },
    );
    if (res.code !== 0) throw new Error(`kafka-configs failed to add user "${user}":\n${res.output.trim()}`);
  } finally {
    fs.rmSync(configFile, { force: true });
  }
}

export async function stopKafka({ name = 'local' } = {}) {
  const state = stateDir(name);
  const pidFile = path.join(state, 'broker.pid');
  const pid = readPid(state);
  if (pid !== null && isKafkaPid(pid)) {
    log(`stopping broker "${name}" (pid ${pid})`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isKafkaPid(pid) && Date.now() < deadline) await sleep(200);
    if (isKafkaPid(pid)) {
      log(`no exit after ${STOP_TIMEOUT_MS / 1000}s, sending SIGKILL`);
      process.kill(pid, 'SIGKILL');
      while (isKafkaPid(pid)) await sleep(100);
    }
  }
  fs.rmSync(pidFile, { force: true });
  return { stopped: pid !== null };
}

function parseArgs(argv) {
  const opts = { positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--fresh' || arg === '--sasl') opts[arg.slice(2)] = true;
    else if (arg === '--port' || arg === '--name') {
      const value = argv[++i];
      if (!value) throw new Error(`${arg} needs a value`);
      opts[arg.slice(2)] = value;
    } else if (!arg.startsWith('-')) opts.positional.push(arg);
    else throw new Error(`unknown argument: ${arg}`);
  }
  if (opts.port !== undefined) {
    opts.port = Number(opts.port);
    if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535)
      throw new Error('--port must be 1..65535');
  }
  if (opts.name !== undefined && !/^[\w.-]+$/.test(opts.name))
    throw new Error('--name may only use [A-Za-z0-9_.-]');
  return opts;
}

async function readStdin() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  return input.replace(/\r?\n$/, '');
}

const USAGE =
  'usage: kafka.mjs fetch | start [--port N] [--name NAME] [--fresh] [--sasl]' +
  ' | add-user USER [--name NAME] (password on stdin) | stop [--name NAME] | status [--name NAME] | version\n';

async function main([cmd, ...rest]) {
  const { positional, ...opts } = parseArgs(rest);
  if (positional.length > (cmd === 'add-user' ? 1 : 0)) {
    process.stderr.write(USAGE);
    return 2;
  }
  switch (cmd) {
    case 'fetch':
      await fetchKafka();
      log(`Kafka ${kafkaVersion()} jars in ${libsDir(kafkaVersion())}`);
      return 0;
    case 'start': {
      const { brokers, sasl } = await startKafka(opts);
      process.stdout.write(`KAFKA_BROKERS=${brokers}\n`);
      // The super user's client settings, named as the apps' config reads them (libs/messaging).
      if (sasl) {
        process.stdout.write(
          `KAFKA_SASL_MECHANISM=${sasl.mechanism.toLowerCase()}\n` +
            `KAFKA_SASL_USERNAME=${sasl.username}\nKAFKA_SASL_PASSWORD=${sasl.password}\n`,
        );
      }
      return 0;
    }
    case 'add-user': {
      if (positional.length !== 1) {
        process.stderr.write(USAGE);
        return 2;
      }
      await addScramUser({ name: opts.name, user: positional[0], password: await readStdin() });
      log(`SCRAM user "${positional[0]}" saved on broker "${opts.name ?? 'local'}"`);
      return 0;
    }
    case 'stop':
      await stopKafka(opts);
      return 0;
    case 'status': {
      const s = await kafkaStatus(opts);
      console.log(
        s.running
          ? `running: KAFKA_BROKERS=${s.brokers} (name ${s.name}, pid ${s.pid}, Kafka ${s.version}` +
              `${s.sasl ? `, SASL ${s.sasl.mechanism}` : ''})`
          : `not running (name ${s.name})`,
      );
      return s.running ? 0 : 1;
    }
    case 'version':
      console.log(kafkaVersion());
      return 0;
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      log(`error: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
