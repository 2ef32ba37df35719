import { createTestDatabase, freePort, type TestDatabase } from '@lead-delivery/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stackServices } from '../stack/services';
import { skipEarlierSuitesRecords } from '../stack/stack-process';
import { installImage } from './app-image';

// An app's image, without Docker: what docker/Dockerfile does with the build's output. The generated
// package.json and package-lock.json of dist/apps/<app> installed on their own (`npm ci --omit=dev
// --ignore-scripts`, offline from the npm cache the workspace's install filled), the bundle copied beside
// them, `node main.js` started with NODE_ENV=production on a real broker and database: it must become
// ready. A package the bundle loads by name only (as @nestjs/core loads @nestjs/platform-express when no
// adapter is passed) is missing from an app built with `requiredDependenciesOnly`, and the app then fails
// to start here as it would in its container. Every app of the local stack is checked (15–30 s each, the
// install most of it), and an app's migration job (migrate.js) runs on the same installed dependencies.

const ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 60_000;

const services = stackServices({ root: ROOT, kafkaBrokers: 'unused', databaseUrl: 'unused' });
const APPS = services.map((service) => service.name);
/** The apps whose bundles require typeorm (persistence: its DataSource and migrate.js); no other installs it. */
const TYPEORM_APPS = new Set(['persistence']);
/**
 * The apps whose consumers run on Nest's microservice transport (@lead-delivery/messaging/nest-transport);
 * where it is installed, @nestjs/core loads ~120 of its modules at start, so no other app may install it.
 */
const NEST_TRANSPORT_APPS = new Set(['persistence', 'enrichment']);
/**
 * The apps that install class-validator: Nest's ValidationPipe (crm-sandbox) requires it by name. Every
 * other app bundles the decorators it uses (`treeShaken` in node-app.webpack.js), so its index, with
 * libphonenumber-js's full metadata, is not there to load.
 */
const CLASS_VALIDATOR_APPS = new Set(['crm-sandbox']);

/** How the process ended: its exit code, or the signal (Nest's shutdown hooks re-raise SIGTERM). */
function exited(child: ChildProcess): Promise<number | NodeJS.Signals | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve(child.exitCode ?? child.signalCode);
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

describe('app images (the Dockerfile without Docker)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    // The build CI's end-to-end suites make too (Nx caches it).
    const build = spawnSync(
      join(ROOT, 'node_modules/.bin/nx'),
      ['run-many', '-t', 'build', '-p', APPS.join(','), '--outputStyle=static'],
      { cwd: ROOT, env: { ...process.env, NX_DAEMON: 'false' }, encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`nx build failed:\n${build.stdout}${build.stderr}`);
    database = await createTestDatabase('image');
    // The connectors' groups start at the end of the shared topics, not at what earlier suites left there.
    await skipEarlierSuitesRecords();
  }, 600_000);

  afterAll(async () => {
    await database?.drop();
  });

  it.each(APPS)(
    '%s starts from its installed production dependencies and becomes ready',
    async (app) => {
      const dir = installImage(ROOT, app);
      const port = await freePort();
      const env: Record<string, string> = {
        ...stackServices({
          root: ROOT,
          kafkaBrokers: process.env['KAFKA_BROKERS'] as string,
          databaseUrl: database.url,
        }).find((candidate) => candidate.name === app)?.env,
        // What the image sets; nothing of the workspace (NODE_PATH, NODE_OPTIONS) leaks in.
        PATH: process.env['PATH'] as string,
        NODE_ENV: 'production',
        PORT: String(port),
        LOG_LEVEL: 'warn',
      };
      if (app === 'persistence') {
        // Its read API on a port of its own, and a token of its own: in production it refuses the stack's
        // published local operator token.
        env['READ_API_PORT'] = String(await freePort());
        const token = randomBytes(24).toString('hex');
        env['OPERATOR_TOKENS'] = JSON.stringify([
          { name: 'image-test', sha256: createHash('sha256').update(token).digest('hex'), scopes: ['read'] },
        ]);
      }
      const child = spawn(process.execPath, ['main.js'], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        const ready = `http://127.0.0.1:${port}/health/ready`;
        const deadline = Date.now() + READY_TIMEOUT_MS;
        let status: number | undefined;
        while (status !== 200 && child.exitCode === null && Date.now() < deadline) {
          status = (await fetch(ready).catch(() => undefined))?.status;
          if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 300));
        }
        if (status !== 200) {
          const state = child.exitCode === null ? 'not ready' : `exited with code ${child.exitCode}`;
          throw new Error(`${app}: ${state} (${ready})\n${output.split('\n').slice(-20).join('\n')}`);
        }
        expect(existsSync(join(dir, 'node_modules', 'typeorm'))).toBe(TYPEORM_APPS.has(app));
        expect(existsSync(join(dir, 'node_modules', '@nestjs', 'microservices'))).toBe(
          NEST_TRANSPORT_APPS.has(app),
        );
        expect(existsSync(join(dir, 'node_modules', 'class-validator'))).toBe(CLASS_VALIDATOR_APPS.has(app));

        // A graceful stop, not the shutdown deadline's exit(1).
        child.kill('SIGTERM');
        expect([0, 'SIGTERM']).toContain(await exited(child));

        // The migration job of the image (gateway, persistence), on the same dependencies: the schema is
        // up to date by now, so it applies nothing, but it must load (persistence's requires typeorm and pg).
        if (existsSync(join(dir, 'migrate.js'))) {
          const migrate = spawnSync(process.execPath, ['migrate.js'], {
            cwd: dir,
            env,
            encoding: 'utf8',
            timeout: READY_TIMEOUT_MS,
          });
          if (migrate.status !== 0)
            throw new Error(
              `${app}: migrate.js exited with ${migrate.status}\n${migrate.stdout}${migrate.stderr}`,
            );
        }
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited(child);
        }
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
