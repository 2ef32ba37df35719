import { SettingsProblems, join, readJsonFile } from '../settings/settings-file';
import { DEFAULT_SCORING_MODEL, type ScoringModel, type ScoringThresholds } from './scoring-model';

const MODEL_VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const THRESHOLD_RANGES: Record<keyof ScoringThresholds, [min: number, max: number]> = {
  new_listing_max_days: [0, 365],
  stale_listing_min_days: [1, 3_650],
  fresh_lead_max_minutes: [0, 1_440],
  aged_lead_min_hours: [1, 8_760],
  old_lead_min_days: [1, 3_650],
  budget_tolerance_percent: [0, 100],
};

/**
 * The scoring model: the built-in defaults, with what SCORING_MODEL_FILE overrides. The file may set
 * any subset of the settings but must name its `model_version`, so that a score always says which
 * weights produced it. Every problem found is added to `problems`; when there is one, the result must
 * not be used.
 */
export function loadScoringModel(file: string | undefined, problems: SettingsProblems): ScoringModel {
  if (file === undefined) return DEFAULT_SCORING_MODEL;
  const json = readJsonFile(file, problems);
  if (problems.list.length > 0) return DEFAULT_SCORING_MODEL;
  return parseScoringModel(json, problems) ?? DEFAULT_SCORING_MODEL;
}

function parseScoringModel(json: unknown, problems: SettingsProblems): ScoringModel | undefined {
  const file = problems.object(json, '', ['model_version', 'base', 'weights', 'thresholds', 'tiers']);
  if (!file) return undefined;
  const defaults = DEFAULT_SCORING_MODEL;

  const version = file['model_version'];
  if (typeof version !== 'string' || !MODEL_VERSION.test(version)) {
    problems.add(
      'model_version',
      'is required: a name of up to 64 letters, digits, dots, dashes or underscores',
      version,
    );
  }
  const model: ScoringModel = {
    model_version: String(version),
    base: file['base'] === undefined ? defaults.base : (problems.integer(file['base'], 'base', 0, 100) ?? 0),
    weights: section(file, 'weights', defaults.weights, problems, (value, path) =>
      problems.integer(value, path, -100, 100),
    ),
    thresholds: section(file, 'thresholds', defaults.thresholds, problems, (value, path, key) => {
      const [min, max] = THRESHOLD_RANGES[key];
      return problems.integer(value, path, min, max);
    }),
    tiers: section(file, 'tiers', defaults.tiers, problems, (value, path) =>
      problems.integer(value, path, 1, 100),
    ),
  };

  checkConsistency(model, problems);
  if (model.model_version === defaults.model_version && JSON.stringify(model) !== JSON.stringify(defaults)) {
    problems.add('model_version', 'must not be the built-in version when the model differs from it', version);
  }
  return model;
}

function section<Key extends string>(
  file: Record<string, unknown>,
  name: string,
  defaults: Record<Key, number>,
  problems: SettingsProblems,
  check: (value: unknown, path: string, key: Key) => number | undefined,
): Record<Key, number> {
  if (file[name] === undefined) return defaults;
  const merged = { ...defaults };
  const overrides = problems.object(file[name], name, Object.keys(defaults));
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!(key in defaults)) continue;
    const checked = check(value, join(name, key), key as Key);
    if (checked !== undefined) merged[key as Key] = checked;
  }
  return merged;
}

function checkConsistency({ tiers, thresholds }: ScoringModel, problems: SettingsProblems): void {
  if (tiers.warm >= tiers.hot) {
    problems.add('tiers', `warm (${tiers.warm}) must be below hot (${tiers.hot})`);
  }
  if (thresholds.stale_listing_min_days <= thresholds.new_listing_max_days) {
    problems.add('thresholds', 'stale_listing_min_days must be above new_listing_max_days');
  }
  if (thresholds.old_lead_min_days * 24 <= thresholds.aged_lead_min_hours) {
    problems.add('thresholds', 'old_lead_min_days must be longer than aged_lead_min_hours');
  }
  if (thresholds.fresh_lead_max_minutes >= thresholds.aged_lead_min_hours * 60) {
    problems.add('thresholds', 'fresh_lead_max_minutes must be shorter than aged_lead_min_hours');
  }
}
