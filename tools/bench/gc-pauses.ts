import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `--require` script that records a server's garbage collections (see gc-pauses.cjs). */
const GC_PAUSES_PRELOAD = join(__dirname, 'gc-pauses.cjs');
const FLUSH_MS = 250;

/** The environment that has a server preloaded with GC_PAUSES_PRELOAD record its collections in `file`. */
export function gcPausesEnv(file: string, nodeOptions = ''): Record<string, string> {
  return {
    GC_PAUSES_FILE: file,
    GC_PAUSES_FLUSH_MS: String(FLUSH_MS),
    NODE_OPTIONS: [nodeOptions, `--require ${GC_PAUSES_PRELOAD}`].filter(Boolean).join(' '),
  };
}

/** Resolves once a recording server has written what it recorded so far. */
export function gcPausesFlushed(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2 * FLUSH_MS));
}

export interface GcPauses {
  majorPerSecond: number;
  longestPauseMs: number;
}

interface Collection {
  at: number;
  major: boolean;
  ms: number;
}

/** The collections recorded in `file` that started within [fromMs, toMs) (epoch ms). */
export function gcPausesBetween(file: string, fromMs: number, toMs: number): GcPauses {
  const collections = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Collection)
        .filter(({ at }) => at >= fromMs && at < toMs)
    : [];
  const seconds = (toMs - fromMs) / 1_000;
  return {
    majorPerSecond: seconds > 0 ? collections.filter(({ major }) => major).length / seconds : 0,
    longestPauseMs: Math.max(0, ...collections.map(({ ms }) => ms)),
  };
}
