import { DatabaseConfig, EnvVar, IntFromEnv, loadConfig } from '@lead-delivery/config';
import { VALIDATION_MODES, type ValidationMode } from '@lead-delivery/contracts';
import { KafkaConfig } from '@lead-delivery/messaging';
import { HttpConfig, LoggingConfig, TracingConfig } from '@lead-delivery/observability';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { BooleanFromEnv } from '@lead-delivery/config';

/** Settings of the gateway itself; Kafka, PostgreSQL, HTTP and logging come from the shared fragments. */
export class GatewayConfig {
  @EnvVar({
    description:
      'JSON file of the accounts allowed to post leads (API key hashes, signature settings, rate limits).',
  })
  @IsString()
  ACCOUNTS_FILE!: string;

  @EnvVar({
    description: '`lenient` accepts leads with off optional fields (with warnings); `strict` answers 422.',
  })
  @IsIn(VALIDATION_MODES)
  VALIDATION_MODE: ValidationMode = 'lenient';

  @EnvVar({ description: 'Largest accepted request body, in bytes (413 above).' })
  @IntFromEnv()
  @IsInt()
  @Min(1_024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 64 * 1024;

  @EnvVar({
    description:
      'Deepest JSON nesting accepted in a body (the body object is level 1); deeper bodies get a 422 naming the field.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(4)
  @Max(256)
  MAX_JSON_DEPTH = 32;

  @EnvVar({
    description:
      'Largest leads.received.v1 record (lead, warnings, raw body and headers), in bytes (413 above). Keep it well ' +
      "under the topic's max.message.bytes (1 MiB by default): Kafka refuses a larger record for good.",
  })
  @IntFromEnv()
  @IsInt()
  @Min(16 * 1024)
  @Max(900 * 1024)
  MAX_RECORD_BYTES = 512 * 1024;

  @EnvVar({
    description: 'How long a lead waits for the Kafka acknowledgement before it goes to the outbox, in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(50)
  @Max(30_000)
  KAFKA_ACK_TIMEOUT_MS = 1_000;

  @EnvVar({
    description:
      'How long writing a lead to the PostgreSQL outbox may take before the gateway answers 503, in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(50)
  @Max(30_000)
  OUTBOX_WRITE_TIMEOUT_MS = 2_000;

  @EnvVar({ description: 'How often the relay looks for outbox rows to send to Kafka, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_RELAY_INTERVAL_MS = 500;

  @EnvVar({
    description: 'Retry-After (seconds) sent with 503 when neither Kafka nor the outbox can take a lead.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(3_600)
  RETRY_AFTER_SECONDS = 5;

  @EnvVar({ description: 'Run the outbox migrations at startup (otherwise run `npm run gateway:migrate`).' })
  @BooleanFromEnv()
  @IsIn([true, false])
  DATABASE_MIGRATE_ON_START = true;

  @EnvVar({
    description: 'HTTP framework under Nest: `fastify` (default, chosen by benchmark) or `express`.',
  })
  @IsIn(['fastify', 'express'])
  HTTP_ADAPTER: 'fastify' | 'express' = 'fastify';
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    {
      gateway: GatewayConfig,
      http: HttpConfig,
      logging: LoggingConfig,
      tracing: TracingConfig,
      kafka: KafkaConfig,
      database: DatabaseConfig,
    },
    env,
  );
}

export type GatewayAppConfig = ReturnType<typeof loadGatewayConfig>;
