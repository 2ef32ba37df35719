import { ConfigError } from '@lead-delivery/config';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { appConfigurations, WORKSPACE_ROOT } from '../docs/app-configs';
import { environmentProblems, unmountedFiles, type ProvidedEnvironment } from './app-environment';
import { podMemory } from '../stack/pod-memory';
import { COMPOSE_TOPICS_SCRIPT } from './topic-manifests';

// docker/compose.yaml, checked without a Docker engine: `docker-compose config` (Debian's docker-compose,
// or the compose plugin) validates and resolves it, then the resolved file is checked against the apps.

const COMPOSE_DIR = join(WORKSPACE_ROOT, 'docker');
const COMPOSE_FILE = join(COMPOSE_DIR, 'compose.yaml');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | number | null>;
  volumes?: (string | { source: string; target: string })[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  mem_limit?: string;
}

function composeConfig(): { services: Record<string, Service> } {
  const candidates: [string, string[]][] = [
    ['docker-compose', ['-f', COMPOSE_FILE, 'config']],
    ['docker', ['compose', '-f', COMPOSE_FILE, 'config']],
  ];
  const failures: string[] = [];
  for (const [command, args] of candidates) {
    const run = spawnSync(command, args, { cwd: COMPOSE_DIR, encoding: 'utf8' });
    if (run.status === 0) return parse(run.stdout);
    failures.push(`${command} ${args.join(' ')}: ${run.error?.message ?? run.stderr.trim()}`);
  }
  throw new Error(
    `docker/compose.yaml could not be validated (install Debian's docker-compose: apt-get install -y docker-compose):\n${failures.join('\n')}`,
  );
}

const compose = composeConfig();
const services = compose.services;
const apps = appConfigurations();
const appServices = Object.entries(services).filter(([, service]) => service.build);

const volumeMounts = (service: Service) =>
  (service.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source, target: volume.target };
    const [source, target] = volume.split(':');
    return { source, target };
  });

const environmentOf = (service: Service): ProvidedEnvironment =>
  new Map(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      value === null ? undefined : String(value),
    ]),
  );

describe('docker/compose.yaml', () => {
  it('builds every app from docker/Dockerfile as a service of the same name', () => {
    const built = Object.fromEntries(
      appServices.map(([name, service]) => [
        name,
        { dockerfile: service.build?.dockerfile, app: service.build?.args?.['APP'] },
      ]),
    );
    for (const app of apps) expect(built[app.app]).toEqual({ dockerfile: 'docker/Dockerfile', app: app.app });
    expect(resolve(COMPOSE_DIR, appServices[0][1].build?.context ?? '')).toBe(WORKSPACE_ROOT);
  });

  it('gives every app the variables it requires, only variables it reads, valid values, and its files', () => {
    const problems = apps.flatMap((app) => {
      const service = services[app.app];
      const provided = environmentOf(service);
      const mounts = volumeMounts(service);
      return [
        ...environmentProblems(app, provided),
        ...unmountedFiles(
          provided,
          mounts.map((mount) => mount.target),
        ),
        ...mounts
          .filter((mount) => isAbsolute(mount.source) && !existsSync(mount.source))
          .map((mount) => `${mount.source} does not exist`),
      ].map((problem) => `${app.app}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it("passes each app's whole startup validation, the files it names included", () => {
    const problems = apps.flatMap((app) => {
      const service = services[app.app];
      const env: NodeJS.ProcessEnv = Object.fromEntries(environmentOf(service));
      for (const mount of volumeMounts(service)) {
        for (const [name, value] of Object.entries(env)) {
          if (name.endsWith('_FILE') && value?.startsWith(mount.target))
            env[name] = mount.source + value.slice(mount.target.length);
        }
      }
      try {
        app.load(env);
        return [];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems.map((problem) => `${app.app}: ${problem}`);
      }
    });
    expect(problems).toEqual([]);
  });

  it("runs every app in its pod's memory limit with its pod's NODE_OPTIONS, so V8 sizes its heap as in the cluster", () => {
    const composeBytes = (limit = '') => {
      const [, amount, unit = 'b'] = /^(\d+)([bkmg])?$/.exec(limit) ?? [];
      return Number(amount) * 1024 ** 'bkmg'.indexOf(unit);
    };
    for (const app of apps) {
      const pod = podMemory(WORKSPACE_ROOT, app.app);
      const service = services[app.app];
      expect({
        app: app.app,
        limitBytes: composeBytes(service.mem_limit),
        nodeOptions: service.environment?.['NODE_OPTIONS'],
      }).toEqual({ app: app.app, limitBytes: pod.limitBytes, nodeOptions: pod.nodeOptions });
    }
  });

  it('hardens every app container: read-only root filesystem, no capabilities, no new privileges', () => {
    for (const [name, service] of appServices) {
      expect({
        name,
        read_only: service.read_only,
        cap_drop: service.cap_drop,
        security_opt: service.security_opt,
      }).toEqual({
        name,
        read_only: true,
        cap_drop: ['ALL'],
        security_opt: ['no-new-privileges:true'],
      });
    }
  });

  it('runs a single KRaft Kafka from the official image, at the version tools/kafka runs', () => {
    const kafka = services['kafka'];
    const version = /DEFAULT_VERSION = '([^']+)'/.exec(
      readFileSync(join(WORKSPACE_ROOT, 'tools/kafka/kafka.mjs'), 'utf8'),
    )?.[1];
    expect(kafka.image).toBe(`apache/kafka:${version}`);
    expect(kafka.environment).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    });
    expect(kafka.healthcheck?.test.join(' ')).toContain('kafka-broker-api-versions.sh');
  });

  it("creates the catalogue's topics with the generated script before any app starts", () => {
    const init = services['topic-init'];
    expect(init.image).toBe(services['kafka'].image);
    expect(volumeMounts(init).map((mount) => mount.source)).toContain(COMPOSE_TOPICS_SCRIPT);
    expect(init.depends_on?.['kafka']).toEqual({ condition: 'service_healthy' });
    for (const app of apps.filter((candidate) =>
      candidate.variables.some((variable) => variable.name === 'KAFKA_BROKERS'),
    )) {
      expect({ app: app.app, topics: services[app.app].depends_on?.['topic-init'] }).toEqual({
        app: app.app,
        topics: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('migrates the persistence schema once, before persistence starts', () => {
    const migrate = services['persistence-migrate'];
    expect(migrate.image).toBe(services['persistence'].image);
    expect(migrate.command).toEqual(['node', 'migrate.js', 'run']);
    expect(migrate.environment?.['DATABASE_URL']).toBe(services['persistence'].environment?.['DATABASE_URL']);
    expect(services['persistence'].depends_on?.['persistence-migrate']).toEqual({
      condition: 'service_completed_successfully',
    });
    expect(services['persistence'].environment?.['DATABASE_MIGRATE_ON_START']).toBe('false');
  });

  it('points the connectors at crm-sandbox and the apps at the PostgreSQL of the file', () => {
    for (const [name, service] of appServices.filter(([candidate]) => candidate.startsWith('connector-'))) {
      const urls = Object.entries(service.environment ?? {}).filter(
        ([variable]) => variable.endsWith('_URL') && !variable.endsWith('DATABASE_URL'),
      );
      expect({ name, urls: urls.length > 0 }).toEqual({ name, urls: true });
      urls.forEach(([, url]) => expect(url).toBe('http://crm-sandbox:4010'));
      expect(service.depends_on?.['crm-sandbox']).toEqual({ condition: 'service_healthy' });
    }
    for (const service of Object.values(services)) {
      for (const variable of ['DATABASE_URL', 'CONNECTOR_DATABASE_URL']) {
        if (!service.environment?.[variable]) continue;
        expect(String(service.environment[variable])).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      }
    }
    expect(services['postgres'].image).toMatch(/^postgres:\d+/);
  });
});
