import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appsWithConfig, WORKSPACE_ROOT } from '../docs/app-configs';

// docker/Dockerfile, linted by the rules the images depend on (hadolint is not packaged for Debian or npm,
// so these are checked here): one parametrised multi-stage build, Node 24 pinned by digest, production
// dependencies only, non-root, tini, a health check on /health/live.

const DOCKER_DIR = join(WORKSPACE_ROOT, 'docker');
const dockerfile = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(DOCKER_DIR, 'Dockerfile.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });

const stages = instructions.reduce<{ from: string; name: string; body: typeof instructions }[]>(
  (all, instruction) => {
    if (instruction.keyword === 'FROM') {
      const [image, , name] = instruction.args.split(/\s+/);
      all.push({ from: image, name, body: [] });
    } else all.at(-1)?.body.push(instruction);
    return all;
  },
  [],
);
const argDefault = (name: string) =>
  instructions
    .find((instruction) => instruction.keyword === 'ARG' && instruction.args.startsWith(`${name}=`))
    ?.args.split('=')[1];
const imageOf = (from: string) =>
  from.replace(/^\$\{(\w+)\}$/, (_, name: string) => argDefault(name) ?? from);
const runtime = stages.at(-1);

describe('docker/Dockerfile', () => {
  it('builds any app from one file (ARG APP) in build, dependencies and runtime stages on Node 24', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'dependencies', 'runtime']);
    stages.forEach((stage) => expect(imageOf(stage.from)).toMatch(/^node:24[.-]\S*@sha256:[0-9a-f]{64}$/));
    expect(imageOf(runtime?.from ?? '')).toMatch(/alpine/);
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
    expect(runtime?.body).toContainEqual({ keyword: 'ENTRYPOINT', args: '["/sbin/tini", "--"]' });
    expect(runtime?.body).toContainEqual({ keyword: 'CMD', args: '["node", "main.js"]' });
    expect(runtime?.body.find((instruction) => instruction.keyword === 'HEALTHCHECK')?.args).toMatch(
      /CMD .*\/health\/live/,
    );
    expect(runtime?.body.find((instruction) => instruction.keyword === 'ENV')?.args).toContain(
      'NODE_ENV=production',
    );
  });

  it('follows the usual lint rules: no ADD, no latest tag, no cache left by package managers', () => {
    expect(instructions.filter((instruction) => instruction.keyword === 'ADD')).toEqual([]);
    expect(dockerfile).not.toMatch(/:latest\b/);
    instructions
      .filter((instruction) => instruction.keyword === 'RUN' && /apk add/.test(instruction.args))
      .forEach((run) => expect(run.args).toContain('--no-cache'));
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
