import { BooleanFromEnv, DatabaseConfig, EnvVar, IntFromEnv, loadConfig } from '@lead-delivery/config';
import { ConsumerStallConfig, KafkaConfig, RecordFailureConfig } from '@lead-delivery/messaging';
import { HttpConfig, LoggingConfig, TracingConfig } from '@lead-delivery/observability';
import { IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { getCountries, type CountryCode } from 'libphonenumber-js';

/** Settings of the persistence service; Kafka, PostgreSQL, HTTP (health, metrics) and logging come from the shared fragments. */
export class PersistenceConfig {
  @EnvVar({ description: 'Port of the operator read API (PORT serves only health and metrics).' })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(65_535)
  READ_API_PORT = 3001;

  @EnvVar({
    description: 'Bearer token operators send to the read API (`Authorization: Bearer <token>`).',
    secret: true,
  })
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters long' })
  OPERATOR_TOKEN!: string;

  @EnvVar({
    description: 'Days after the lead timestamp when its raw payload and message are purged.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(3_650)
  RETENTION_DAYS = 365;

  @EnvVar({ description: 'How often the retention job looks for payloads to purge, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  RETENTION_SWEEP_INTERVAL_MS = 3_600_000;

  @EnvVar({
    description: 'Run the migrations at startup (otherwise run `npm run persistence:migrate` first).',
  })
  @BooleanFromEnv()
  @IsIn([true, false], { message: 'must be true or false' })
  DATABASE_MIGRATE_ON_START = true;

  @EnvVar({ description: 'Longest a single SQL statement may run, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 30_000;

  @EnvVar({ description: 'Partitions whose batches are written concurrently (each in its own transaction).' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(64)
  CONSUMER_PARTITIONS_CONCURRENTLY = 3;

  @EnvVar({ description: 'Most records written in one transaction.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(5_000)
  CONSUMER_MAX_BATCH_RECORDS = 1_000;

  @EnvVar({
    description:
      'Longest wait between two attempts at a batch while PostgreSQL is unavailable, in ms (backoff with jitter).',
  })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(300_000)
  CONSUMER_RETRY_MAX_DELAY_MS = 15_000;

  @EnvVar({
    description: 'Country assumed for a phone number without a country code in an erasure request.',
  })
  @IsIn(getCountries())
  PHONE_DEFAULT_COUNTRY: CountryCode = 'US';
}

export function loadPersistenceConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      persistence: PersistenceConfig,
      http: HttpConfig,
      logging: LoggingConfig,
      tracing: TracingConfig,
      kafka: KafkaConfig,
      recordFailure: RecordFailureConfig,
      consumerStall: ConsumerStallConfig,
      database: DatabaseConfig,
    },
    env,
  );
}

export type PersistenceAppConfig = ReturnType<typeof loadPersistenceConfig>;
