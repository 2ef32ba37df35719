import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { appLockfile } = require('./app-lockfile.js') as {
  appLockfile(
    rootLock: unknown,
    app: { name: string; version: string; dependencies: Record<string, string> },
  ): {
    packages: Record<string, Record<string, unknown>>;
  };
};

const ROOT = join(__dirname, '../..');
const rootLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** What `npm ci --omit=dev` says of the app's package.json and lockfile, without installing anything. */
function npmCiDryRun(dependencies: Record<string, string>, lock: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'app-lockfile-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '0.0.1', dependencies }));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));
    const run = spawnSync(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--dry-run', '--offline'],
      { cwd: dir, encoding: 'utf8' },
    );
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('appLockfile', () => {
  it.each([
    ['every production dependency of the workspace', rootPackage.dependencies],
    // express (^1.0.5) under @nestjs/platform-express next to body-parser's content-type 2: Nx's own lockfile
    // hoisted 2.1.0 where express found it, and npm ci refused it.
    [
      '@nestjs/platform-express alone',
      { '@nestjs/platform-express': rootPackage.dependencies['@nestjs/platform-express'] as string },
    ],
  ])('gives a lockfile npm ci accepts: %s', (_, dependencies) => {
    const lock = appLockfile(rootLock, { name: 'app', version: '0.0.1', dependencies });

    const ci = npmCiDryRun(dependencies, lock);

    expect(ci.output).not.toMatch(/npm error/);
    expect(ci.status).toBe(0);
    expect(Object.values(lock.packages).filter((entry) => entry['dev'] || entry['devOptional'])).toEqual([]);
  });

  it('keeps only what the dependencies reach', () => {
    const dependencies = { pg: rootPackage.dependencies['pg'] as string };
    const lock = appLockfile(rootLock, { name: 'app', version: '0.0.1', dependencies });
    const locations = Object.keys(lock.packages);

    expect(locations).toContain('node_modules/pg');
    expect(locations).toContain('node_modules/pg-protocol');
    expect(locations).not.toContain('node_modules/kafkajs');
    expect(locations.length).toBeLessThan(20);
  });
});
