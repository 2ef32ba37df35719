import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingsProblems } from '../settings/settings-file';
import { loadScoringModel } from './scoring-model.loader';
import { DEFAULT_SCORING_MODEL } from './scoring-model';

const dir = mkdtempSync(join(tmpdir(), 'scoring-model-'));
let files = 0;

function load(content: unknown) {
  const file = join(dir, `model-${(files += 1)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  const problems = new SettingsProblems('SCORING_MODEL_FILE');
  const model = loadScoringModel(file, problems);
  return { model, problems: problems.list };
}

describe('loadScoringModel', () => {
  it('is the built-in model when no file is given', () => {
    const problems = new SettingsProblems('SCORING_MODEL_FILE');
    expect(loadScoringModel(undefined, problems)).toBe(DEFAULT_SCORING_MODEL);
    expect(problems.list).toEqual([]);
  });

  it('overrides the defaults with what the file sets', () => {
    const { model, problems } = load({
      model_version: 'brokerage-2026-03',
      base: 25,
      weights: { pre_approved: 20, seller: 0 },
      thresholds: { budget_tolerance_percent: 0 },
      tiers: { hot: 75 },
    });
    expect(problems).toEqual([]);
    expect(model).toEqual({
      ...DEFAULT_SCORING_MODEL,
      model_version: 'brokerage-2026-03',
      base: 25,
      weights: { ...DEFAULT_SCORING_MODEL.weights, pre_approved: 20, seller: 0 },
      thresholds: { ...DEFAULT_SCORING_MODEL.thresholds, budget_tolerance_percent: 0 },
      tiers: { hot: 75, warm: 40 },
    });
  });

  it.each<[string, unknown, string[]]>([
    ['a file that is not JSON', '{ "base": ', ['SCORING_MODEL_FILE: (top level): cannot read']],
    [
      'a file that is not an object',
      '[1, 2]',
      ['SCORING_MODEL_FILE: (top level): must be an object (got [1,2])'],
    ],
    [
      'a missing model_version',
      { weights: { pre_approved: 20 } },
      ['SCORING_MODEL_FILE: model_version: is required: a name of up to 64 letters'],
    ],
    [
      'the built-in version on a changed model',
      { model_version: 'lead-score-v1', base: 10 },
      ['SCORING_MODEL_FILE: model_version: must not be the built-in version when the model differs from it'],
    ],
    [
      'an unknown weight (a typo)',
      { model_version: 'x', weights: { preapproved: 20 } },
      ['SCORING_MODEL_FILE: weights.preapproved: is not a known setting'],
    ],
    [
      'weights out of range or not integers',
      { model_version: 'x', weights: { seller: 150, pre_approved: 2.5, cash: 1 } },
      [
        'SCORING_MODEL_FILE: weights.cash: is not a known setting',
        'SCORING_MODEL_FILE: weights.seller: must be an integer from -100 to 100 (got 150)',
        'SCORING_MODEL_FILE: weights.pre_approved: must be an integer from -100 to 100 (got 2.5)',
      ],
    ],
    [
      'tiers in the wrong order',
      { model_version: 'x', tiers: { hot: 40, warm: 60 } },
      ['SCORING_MODEL_FILE: tiers: warm (60) must be below hot (40)'],
    ],
    [
      'a base out of range',
      { model_version: 'x', base: -1 },
      ['SCORING_MODEL_FILE: base: must be an integer from 0 to 100 (got -1)'],
    ],
    [
      'thresholds that contradict each other',
      { model_version: 'x', thresholds: { new_listing_max_days: 100, stale_listing_min_days: 90 } },
      ['SCORING_MODEL_FILE: thresholds: stale_listing_min_days must be above new_listing_max_days'],
    ],
    [
      'a section that is not an object',
      { model_version: 'x', weights: 5 },
      ['SCORING_MODEL_FILE: weights: must be an object (got 5)'],
    ],
  ])('reports %s', (_case, content, expected) => {
    const { problems } = load(content);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((problem, index) => expect(problems[index]).toContain(problem));
  });

  it('reports a file that does not exist', () => {
    const problems = new SettingsProblems('SCORING_MODEL_FILE');
    loadScoringModel(join(dir, 'missing.json'), problems);
    expect(problems.list).toEqual([
      expect.stringMatching(
        /^SCORING_MODEL_FILE: \(top level\): cannot read .*missing\.json as JSON: ENOENT/,
      ),
    ]);
  });
});
