// Settings of the hostile-input suite, from the environment, checked before anything runs.
import type { Parameters } from 'fast-check';

export interface HostileSettings {
  /** fast-check seed of every property (HOSTILE_SEED; fixed by default, so CI runs are reproducible). */
  seed: number;
  /** Replays one counterexample of the property selected with `-t` (HOSTILE_PATH, printed on failure). */
  path?: string;
  /** Multiplies the number of cases of every property (HOSTILE_SCALE). */
  scale: number;
  /** How long a sentinel or a record may take to reach its end before it counts as a stall. */
  livenessMs: number;
}

export const DEFAULT_SEED = 20_260_512;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, integer: boolean): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value > 0) || (integer && !Number.isSafeInteger(value)))
    throw new Error(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(text)}`,
    );
  return value;
}

export function loadHostileSettings(env: NodeJS.ProcessEnv = process.env): HostileSettings {
  const path = env['HOSTILE_PATH'];
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path))
    throw new Error(`HOSTILE_PATH must be a fast-check path such as 12:0:3, got ${JSON.stringify(path)}`);
  return {
    seed: positive(env, 'HOSTILE_SEED', DEFAULT_SEED, true),
    ...(path ? { path } : {}),
    scale: positive(env, 'HOSTILE_SCALE', 1, false),
    livenessMs: positive(env, 'HOSTILE_LIVENESS_MS', 60_000, true),
  };
}

/** fast-check parameters of a property run `runs` times (scaled). */
export function propertyParameters<T>(settings: HostileSettings, runs: number): Parameters<T> {
  return {
    seed: settings.seed,
    numRuns: Math.max(1, Math.round(runs * settings.scale)),
    includeErrorInReport: true,
    ...(settings.path ? { path: settings.path } : {}),
  };
}
