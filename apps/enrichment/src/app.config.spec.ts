import { ConfigError } from '@lead-delivery/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnrichmentConfig } from './app.config';

const dir = mkdtempSync(join(tmpdir(), 'enrichment-config-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const env = (extra: Record<string, string>) => ({ KAFKA_BROKERS: '127.0.0.1:9092', ...extra });

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadEnrichmentConfig', () => {
  it('loads the environment, the routing rules and the scoring model', () => {
    const config = loadEnrichmentConfig(
      env({
        ROUTING_RULES_FILE: file('rules.json', { default: { always: ['hubspot'] } }),
        SCORING_MODEL_FILE: file('model.json', { model_version: 'm2', tiers: { hot: 80 } }),
        CONSUMER_PARTITIONS_CONCURRENTLY: '6',
      }),
    );
    expect(config.routingRules.default.always).toEqual(['hubspot']);
    expect(config.scoringModel).toMatchObject({ model_version: 'm2', tiers: { hot: 80, warm: 40 } });
    expect(config.enrichment.CONSUMER_PARTITIONS_CONCURRENTLY).toBe(6);
    expect(config.enrichment.CONSUMER_MAX_BATCH_RECORDS).toBe(500);
  });

  it('uses the built-in scoring model when SCORING_MODEL_FILE is not set', () => {
    const config = loadEnrichmentConfig(env({ ROUTING_RULES_FILE: file('empty.json', {}) }));
    expect(config.scoringModel.model_version).toBe('lead-score-v1');
  });

  it('requires ROUTING_RULES_FILE', () => {
    expect(problemsOf(() => loadEnrichmentConfig(env({})))).toEqual([
      expect.stringMatching(/^ROUTING_RULES_FILE: .*not set/),
    ]);
  });

  it('reports the problems of both files at once, naming each file', () => {
    const rules = file('bad-rules.json', { default: { always: ['HubSpot'] } });
    const model = file('bad-model.json', { tiers: { hot: 10 } });
    const problems = problemsOf(() =>
      loadEnrichmentConfig(env({ ROUTING_RULES_FILE: rules, SCORING_MODEL_FILE: model })),
    );
    expect(problems).toEqual([
      expect.stringContaining(`ROUTING_RULES_FILE (${rules}): default.always[0]: must be a connector id`),
      expect.stringContaining(`SCORING_MODEL_FILE (${model}): model_version: is required`),
      expect.stringContaining(`SCORING_MODEL_FILE (${model}): tiers: warm (40) must be below hot (10)`),
    ]);
  });
});
