import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './app-configs';

/**
 * Formats generated text the way `npm run format` would format `file`, so that formatting the repository
 * never makes a generated file look stale. Prettier runs in a child process: its API loads plugins with
 * dynamic imports, which Jest's CommonJS runtime cannot do.
 */
export function formatLike(file: string, text: string): string {
  const prettier = spawnSync(
    process.execPath,
    [join(WORKSPACE_ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--stdin-filepath', file],
    { cwd: WORKSPACE_ROOT, input: text, encoding: 'utf8' },
  );
  if (prettier.status !== 0) throw new Error(`prettier could not format ${file}: ${prettier.stderr}`);
  return prettier.stdout;
}
