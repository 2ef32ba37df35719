import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appsWithConfig, WORKSPACE_ROOT } from '../docs/app-configs';
import { readDockerfile, runtimeEnvironment } from './dockerfile';

// docker/Dockerfile, linted by the rules the images depend on (hadolint is not packaged for Debian or npm,
// so these are checked here): one parametrised multi-stage build, Node 24 pinned by digest, production
// dependencies only, non-root, tini, a health check on /health/live.

const DOCKER_DIR = join(WORKSPACE_ROOT, 'docker');
const image = readDockerfile(WORKSPACE_ROOT);
const { text: dockerfile, instructions, stages, imageOf } = image;
const environment = runtimeEnvironment(image);
const dockerignore = readFileSync(join(DOCKER_DIR, 'Dockerfile.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const runtime = stages.at(-1);

describe('docker/Dockerfile', () => {
  it('builds any app from one file (ARG APP) in build, dependencies and runtime stages on Node 24', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'dependencies', 'runtime']);
    stages.forEach((stage) => expect(imageOf(stage.from)).toMatch(/^node:24[.-]\S*@sha256:[0-9a-f]{64}$/));
    // glibc (Node's tier 1 on Linux), where musl is "experimental".
    expect(imageOf(runtime?.from ?? '')).toMatch(/^node:24[.\d]*-bookworm-slim@/);
    stages.forEach((stage) => expect(stage.body).toContainEqual({ keyword: 'ARG', args: 'APP' }));
    expect(dockerfile).toContain('npx nx build "${APP}"');
  });

  it('installs only the production dependencies nx generated for the app, with its lockfile', () => {
    const dependencies = stages.find((stage) => stage.name === 'dependencies')?.body ?? [];
    expect(dependencies).toContainEqual(
      expect.objectContaining({
        keyword: 'COPY',
        args: expect.stringContaining('dist/apps/${APP}/package-lock.json'),
      }),
    );
    expect(dependencies.find((instruction) => instruction.keyword === 'RUN')?.args).toMatch(
      /npm ci --omit=dev/,
    );
    expect(
      runtime?.body
        .filter((instruction) => instruction.keyword === 'RUN')
        .map((run) => run.args)
        .join(' '),
    ).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a numeric non-root user under tini, with a health check on /health/live', () => {
    const user = runtime?.body.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args ?? '';
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(runtime?.body).toContainEqual({ keyword: 'ENTRYPOINT', args: '["/usr/bin/tini", "--"]' });
    expect(runtime?.body).toContainEqual({ keyword: 'CMD', args: '["node", "main.js"]' });
    expect(runtime?.body.find((instruction) => instruction.keyword === 'HEALTHCHECK')?.args).toMatch(
      /CMD .*\/health\/live/,
    );
    expect(environment).toMatchObject({
      NODE_ENV: 'production',
      PORT: '3000',
    });
  });

  it("caps glibc's malloc arenas, so that memory V8's threads free is reused rather than kept per thread", () => {
    expect(environment).toMatchObject({ MALLOC_ARENA_MAX: '2' });
  });

  it('follows the usual lint rules: no ADD, no latest tag, no cache left by package managers', () => {
    expect(instructions.filter((instruction) => instruction.keyword === 'ADD')).toEqual([]);
    expect(dockerfile).not.toMatch(/:latest\b/);
    const aptInstalls = instructions.filter(
      (instruction) => instruction.keyword === 'RUN' && /apt-get install/.test(instruction.args),
    );
    expect(aptInstalls).not.toEqual([]);
    aptInstalls.forEach((run) => {
      expect(run.args).toContain('--no-install-recommends');
      expect(run.args).toMatch(/apt-get update && .*rm -rf \/var\/lib\/apt\/lists\/\*/);
      // hadolint DL3008: each package at a version.
      const packages = (/apt-get install ([^&]*)/.exec(run.args)?.[1] ?? '')
        .split(/\s+/)
        .filter((word) => word && !word.startsWith('-'));
      expect(packages).not.toEqual([]);
      packages.forEach((name) => expect(name).toMatch(/^"?[a-z0-9.+-]+=\$\{[A-Z_]+\}"?$/));
    });
    instructions
      .filter((instruction) => instruction.keyword === 'RUN' && /npm ci/.test(instruction.args))
      .forEach((run) => expect(run.args).toMatch(/--mount=type=cache|npm cache clean/));
  });

  it('keeps local state and secrets out of the build context', () => {
    expect(dockerignore).toEqual(
      expect.arrayContaining(['**/node_modules', 'dist', '.git', '.cache', '**/.env', '**/.env.*']),
    );
  });

  it.each(appsWithConfig())(
    'can build %s: its webpack build writes main.js and a package.json for it',
    (app) => {
      const webpack = readFileSync(join(WORKSPACE_ROOT, 'apps', app, 'webpack.config.js'), 'utf8');
      expect(webpack).toContain("require('../../tools/build/node-app.webpack')(__dirname");
    },
  );

  it('builds every app the same way: dist/apps/<app>/main.js and a package.json of its own', () => {
    const shared = readFileSync(join(WORKSPACE_ROOT, 'tools/build/node-app.webpack.js'), 'utf8');
    expect(shared).toContain("join(appDir, '../../dist/apps', basename(appDir))");
    expect(shared).toMatch(/generatePackageJson: true/);
    expect(shared).toMatch(/main: '\.\/src\/main\.ts'/);
  });

  it('has the migration entry point the persistence Job runs (node migrate.js)', () => {
    expect(readFileSync(join(WORKSPACE_ROOT, 'apps/persistence/webpack.config.js'), 'utf8')).toMatch(
      /entryName: 'migrate', entryPath: '\.\/src\/migrate\.ts'/,
    );
  });
});
