import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * dist/apps/<app> as its image has it (docker/Dockerfile without Docker): the generated package.json and
 * package-lock.json installed on their own (`npm ci --omit=dev --ignore-scripts`, offline from the npm
 * cache the workspace's install filled) in a directory outside the workspace, so that nothing resolves
 * from the workspace's node_modules, and the build's output copied beside them. Returns that directory.
 */
export function installImage(root: string, app: string): string {
  const dist = join(root, 'dist', 'apps', app);
  const dir = mkdtempSync(join(tmpdir(), `image-${app}-`));
  cpSync(join(dist, 'package.json'), join(dir, 'package.json'));
  cpSync(join(dist, 'package-lock.json'), join(dir, 'package-lock.json'));
  const install = spawnSync(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--offline'],
    { cwd: dir, encoding: 'utf8' },
  );
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`npm ci of dist/apps/${app} failed:\n${install.stdout}${install.stderr}`);
  }
  cpSync(dist, dir, { recursive: true });
  return dir;
}
