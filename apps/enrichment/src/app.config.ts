import { ConfigError, EnvVar, IntFromEnv, loadConfig } from '@lead-delivery/config';
import { CONSUMER_RUNNER_CONFIG } from '@lead-delivery/messaging';
import { HttpConfig, LoggingConfig, TracingConfig } from '@lead-delivery/observability';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { loadRoutingRules } from './routing/routing-rules.loader';
import { loadScoringModel } from './scoring/scoring-model.loader';
import { SettingsProblems } from './settings/settings-file';

/** Settings of the enrichment service; Kafka, HTTP and logging come from the shared fragments. */
export class EnrichmentConfig {
  @EnvVar({
    description:
      'JSON file of the routing rules: which destinations (connector ids) get the leads of each account.',
    example: 'config/local/routing.json',
  })
  @IsString()
  ROUTING_RULES_FILE!: string;

  @EnvVar({
    description:
      'JSON file overriding weights, thresholds and tiers of the built-in scoring model (with its own model_version).',
  })
  @IsOptional()
  @IsString()
  SCORING_MODEL_FILE?: string;

  @EnvVar({ description: 'Partitions of leads.received.v1 processed at the same time by one instance.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(64)
  CONSUMER_PARTITIONS_CONCURRENTLY = 3;

  @EnvVar({
    description: 'Largest number of leads enriched and published before their offsets are committed.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(5_000)
  CONSUMER_MAX_BATCH_RECORDS = 500;
}

/**
 * The environment, then the files it names (routing rules, scoring model), each validated; throws one
 * ConfigError listing every problem of a stage.
 */
export function loadEnrichmentConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      enrichment: EnrichmentConfig,
      http: HttpConfig,
      logging: LoggingConfig,
      tracing: TracingConfig,
      ...CONSUMER_RUNNER_CONFIG,
    },
    env,
  );
  const { ROUTING_RULES_FILE: rulesFile, SCORING_MODEL_FILE: modelFile } = config.enrichment;
  const rulesProblems = new SettingsProblems(`ROUTING_RULES_FILE (${rulesFile})`);
  const modelProblems = new SettingsProblems(`SCORING_MODEL_FILE (${modelFile})`);
  const routingRules = loadRoutingRules(rulesFile, rulesProblems);
  const scoringModel = loadScoringModel(modelFile, modelProblems);
  const problems = [...rulesProblems.list, ...modelProblems.list];
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, routingRules, scoringModel };
}

export type EnrichmentAppConfig = ReturnType<typeof loadEnrichmentConfig>;
