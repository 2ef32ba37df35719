import { ConfigError, EnvVar, IntFromEnv, NumberFromEnv, loadConfig } from '@lead-delivery/config';
import { ConsumerStallConfig, KafkaConfig } from '@lead-delivery/messaging';
import { HttpConfig, LoggingConfig, TracingConfig } from '@lead-delivery/observability';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { ConnectorLimits } from '../connector/crm-connector';
import { ConnectorStoreConfig } from '../store/connector-store.config';
import { SuppressionConfig } from '../suppression/suppression.config';

/** Delivery policy of a connector app; unset limits come from the connector's own `limits`. */
export class ConnectorKitConfig {
  @EnvVar({
    description: "Records per CRM call; at most the connector's maximum (HubSpot 100, Salesforce 200).",
  })
  @IsOptional()
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_MAX_BATCH_SIZE?: number;

  @EnvVar({
    description:
      "HTTP calls each credential (HubSpot portal token, Salesforce org) may make per CONNECTOR_CALL_WINDOW_MS, across all replicas; defaults to the CRM's published limit. The CRM's rate-limit headers and an account's `limits` may lower it.",
  })
  @IsOptional()
  @IntFromEnv()
  @IsInt()
  @Min(2)
  CONNECTOR_CALLS_PER_WINDOW?: number;

  @EnvVar({ description: "The window of CONNECTOR_CALLS_PER_WINDOW, in ms; defaults to the CRM's." })
  @IsOptional()
  @IntFromEnv()
  @IsInt()
  @Min(100)
  CONNECTOR_CALL_WINDOW_MS?: number;

  @EnvVar({
    description:
      "Share of a credential's daily CRM limit above which lead_connector_crm_daily_budget_used_ratio raises an alert (LeadCrmDailyBudgetHigh).",
  })
  @NumberFromEnv()
  @IsNumber()
  @Min(0.01)
  @Max(1)
  CONNECTOR_DAILY_BUDGET_ALERT_SHARE = 0.8;

  @EnvVar({
    description:
      "Share of a credential's daily CRM limit above which only hot leads are delivered; the others wait on the retry topic.",
  })
  @NumberFromEnv()
  @IsNumber()
  @Min(0.01)
  @Max(1)
  CONNECTOR_DAILY_BUDGET_THROTTLE_SHARE = 0.95;

  @EnvVar({ description: 'CRM calls in flight at once, across accounts (one per account at a time).' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(64)
  CONNECTOR_MAX_CONCURRENT_CALLS = 4;

  @EnvVar({ description: 'Leads consumed but not yet settled before fetching stops (backpressure).' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_MAX_IN_FLIGHT = 2_000;

  @EnvVar({
    description: 'CRM calls a lead may take part in before it is dead-lettered (retries_exhausted).',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(100)
  CONNECTOR_MAX_ATTEMPTS = 8;

  @EnvVar({
    description:
      'Calls carrying a lead that the CRM refused to process (429, 503, unreachable) before it is dead-lettered (retries_exhausted); counted apart from CONNECTOR_MAX_ATTEMPTS.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(1000)
  CONNECTOR_MAX_REFUSED_CALLS = 48;

  @EnvVar({
    description:
      'Calls a lead alone may take when our own code fails on its data (a TypeError while mapping it) before it is dead-lettered (record_failed).',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(100)
  CONNECTOR_RECORD_MAX_ATTEMPTS = 3;

  @EnvVar({ description: 'Retries in memory before a lead moves to the delayed retry topic.' })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(20)
  CONNECTOR_INLINE_RETRIES = 3;

  @EnvVar({
    description: 'Longest wait kept in memory; a lead that must wait longer goes to the retry topic, in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  CONNECTOR_INLINE_MAX_DELAY_MS = 5_000;

  @EnvVar({ description: 'First in-memory backoff delay (exponential, decorrelated jitter), in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_BACKOFF_INITIAL_MS = 100;

  @EnvVar({ description: 'Largest in-memory backoff delay, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_BACKOFF_MAX_MS = 5_000;

  @EnvVar({
    description: 'Delay of the first stay on the retry topic (doubles per attempt, half jitter), in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_PARK_DELAY_INITIAL_MS = 10_000;

  @EnvVar({ description: 'Longest stay on the retry topic, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_PARK_DELAY_MAX_MS = 600_000;

  @EnvVar({
    description:
      "Consecutive auth failures of one account that open that account's circuit breaker. Transient failures (429, 5xx, timeouts) slow the account down instead; they open it only when all of at least twice this many calls in 30 s failed.",
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_BREAKER_THRESHOLD = 5;

  @EnvVar({ description: 'How long an open breaker parks its account before a trial call, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_BREAKER_HALF_OPEN_MS = 30_000;

  @EnvVar({
    description:
      'Consecutive failed calls, across at least two accounts (or all `unavailable`), that mean the whole CRM is down and pause consumption.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(2)
  CONNECTOR_OUTAGE_THRESHOLD = 10;

  @EnvVar({ description: 'How long consumption pauses on a CRM-wide outage before a trial call, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_OUTAGE_PAUSE_MS = 30_000;

  @EnvVar({
    description: 'On shutdown, how long calls in flight may take to finish before they are abandoned, in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  CONNECTOR_SHUTDOWN_GRACE_MS = 10_000;
}

/** The configuration every connector app has; an app adds its own fragment (credentials, base URL). */
export interface ConnectorAppConfig {
  connector: ConnectorKitConfig;
  store: ConnectorStoreConfig;
  suppression: SuppressionConfig;
  kafka: KafkaConfig;
  consumerStall: ConsumerStallConfig;
  http: HttpConfig;
  logging: LoggingConfig;
  tracing: TracingConfig;
}

type ConfigClass = new () => object;
type Loaded<Fragments extends Record<string, ConfigClass>> = {
  [Name in keyof Fragments]: InstanceType<Fragments[Name]>;
};

/** Loads the kit's fragments plus the app's own, reporting every problem at once (ConfigError). */
export function loadConnectorConfig<Fragments extends Record<string, ConfigClass>>(
  fragments: Fragments,
  env: NodeJS.ProcessEnv = process.env,
): ConnectorAppConfig & Loaded<Fragments> {
  return loadConfig(
    {
      ...fragments,
      connector: ConnectorKitConfig,
      store: ConnectorStoreConfig,
      suppression: SuppressionConfig,
      kafka: KafkaConfig,
      consumerStall: ConsumerStallConfig,
      http: HttpConfig,
      logging: LoggingConfig,
      tracing: TracingConfig,
    },
    env,
  ) as ConnectorAppConfig & Loaded<Fragments>;
}

/** Every setting of the delivery pipeline, resolved. */
export interface DeliverySettings {
  maxBatchSize: number;
  callsPerWindow: number;
  callWindowMs: number;
  dailyAlertShare: number;
  dailyThrottleShare: number;
  maxConcurrentCalls: number;
  maxInFlight: number;
  maxAttempts: number;
  maxRefusedCalls: number;
  recordMaxAttempts: number;
  inlineRetries: number;
  inlineMaxDelayMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  parkDelayInitialMs: number;
  parkDelayMaxMs: number;
  breakerThreshold: number;
  breakerHalfOpenMs: number;
  outageThreshold: number;
  outagePauseMs: number;
  shutdownGraceMs: number;
}

/** Combines the connector's limits with the environment; throws ConfigError when an override exceeds a limit. */
export function deliverySettings(limits: ConnectorLimits, config: ConnectorKitConfig): DeliverySettings {
  const maxBatchSize = config.CONNECTOR_MAX_BATCH_SIZE ?? limits.maxBatchSize;
  if (maxBatchSize > limits.maxBatchSize) {
    throw new ConfigError([
      `CONNECTOR_MAX_BATCH_SIZE: must be at most ${limits.maxBatchSize}, the CRM's limit (got ${maxBatchSize}).`,
    ]);
  }
  if (config.CONNECTOR_DAILY_BUDGET_ALERT_SHARE > config.CONNECTOR_DAILY_BUDGET_THROTTLE_SHARE) {
    throw new ConfigError([
      `CONNECTOR_DAILY_BUDGET_ALERT_SHARE: must not exceed CONNECTOR_DAILY_BUDGET_THROTTLE_SHARE (got ${config.CONNECTOR_DAILY_BUDGET_ALERT_SHARE} > ${config.CONNECTOR_DAILY_BUDGET_THROTTLE_SHARE}).`,
    ]);
  }
  return {
    maxBatchSize,
    callsPerWindow: config.CONNECTOR_CALLS_PER_WINDOW ?? limits.callsPerWindow,
    callWindowMs: config.CONNECTOR_CALL_WINDOW_MS ?? limits.callWindowMs,
    dailyAlertShare: config.CONNECTOR_DAILY_BUDGET_ALERT_SHARE,
    dailyThrottleShare: config.CONNECTOR_DAILY_BUDGET_THROTTLE_SHARE,
    maxConcurrentCalls: config.CONNECTOR_MAX_CONCURRENT_CALLS,
    maxInFlight: Math.max(config.CONNECTOR_MAX_IN_FLIGHT, maxBatchSize),
    maxAttempts: config.CONNECTOR_MAX_ATTEMPTS,
    maxRefusedCalls: config.CONNECTOR_MAX_REFUSED_CALLS,
    recordMaxAttempts: config.CONNECTOR_RECORD_MAX_ATTEMPTS,
    inlineRetries: config.CONNECTOR_INLINE_RETRIES,
    inlineMaxDelayMs: config.CONNECTOR_INLINE_MAX_DELAY_MS,
    backoffInitialMs: config.CONNECTOR_BACKOFF_INITIAL_MS,
    backoffMaxMs: config.CONNECTOR_BACKOFF_MAX_MS,
    parkDelayInitialMs: config.CONNECTOR_PARK_DELAY_INITIAL_MS,
    parkDelayMaxMs: config.CONNECTOR_PARK_DELAY_MAX_MS,
    breakerThreshold: config.CONNECTOR_BREAKER_THRESHOLD,
    breakerHalfOpenMs: config.CONNECTOR_BREAKER_HALF_OPEN_MS,
    outageThreshold: config.CONNECTOR_OUTAGE_THRESHOLD,
    outagePauseMs: config.CONNECTOR_OUTAGE_PAUSE_MS,
    shutdownGraceMs: config.CONNECTOR_SHUTDOWN_GRACE_MS,
  };
}
