import { BooleanFromEnv, EnvVar, IntFromEnv, ListFromEnv } from '@lead-delivery/config';
import {
  ArrayNotEmpty,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];
export const KAFKA_LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** Kafka connection settings of every app; SSL and SASL for production clusters. */
export class KafkaConfig {
  @EnvVar({
    description: 'Bootstrap brokers, comma-separated host:port.',
    example: 'kafka-0:9092,kafka-1:9092',
  })
  @ListFromEnv()
  @ArrayNotEmpty({ message: 'must list at least one broker' })
  @Matches(/^[^\s:]+:\d+$/, { each: true, message: 'each broker must be host:port' })
  KAFKA_BROKERS!: string[];

  @EnvVar({ description: 'Client id reported to the brokers (defaults to the app name).' })
  @IsOptional()
  @IsString()
  KAFKA_CLIENT_ID?: string;

  @EnvVar({ description: 'Connect with TLS.' })
  @BooleanFromEnv()
  @IsIn([true, false], { message: 'must be true or false' })
  KAFKA_SSL = false;

  @EnvVar({
    description: "PEM file of the CA that signed the brokers' certificates (TLS only; system CAs otherwise).",
  })
  @IsOptional()
  @IsString()
  KAFKA_SSL_CA_FILE?: string;

  @EnvVar({ description: 'SASL mechanism, if the cluster requires authentication.' })
  @IsOptional()
  @IsIn(SASL_MECHANISMS)
  KAFKA_SASL_MECHANISM?: SaslMechanism;

  @EnvVar({ description: 'SASL user name (required with KAFKA_SASL_MECHANISM).' })
  @ValidateIf((config: KafkaConfig) => config.KAFKA_SASL_MECHANISM !== undefined)
  @IsString({ message: 'is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_USERNAME?: string;

  @EnvVar({ description: 'SASL password (required with KAFKA_SASL_MECHANISM).', secret: true })
  @ValidateIf((config: KafkaConfig) => config.KAFKA_SASL_MECHANISM !== undefined)
  @IsString({ message: 'is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_PASSWORD?: string;

  @EnvVar({ description: 'Time allowed to open a broker connection, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(60_000)
  KAFKA_CONNECTION_TIMEOUT_MS = 3_000;

  @EnvVar({ description: 'Time allowed for a broker to answer a request, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(300_000)
  KAFKA_REQUEST_TIMEOUT_MS = 30_000;

  @EnvVar({
    description:
      'On shutdown, how long to wait for records Kafka has not acknowledged yet, in ms. What is left then is ' +
      'not lost: consumers have not committed its input and the gateway keeps its leads in the outbox.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(60_000)
  KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS = 5_000;

  @EnvVar({ description: "Level of the Kafka client's own log lines." })
  @IsIn(KAFKA_LOG_LEVELS)
  KAFKA_LOG_LEVEL: (typeof KAFKA_LOG_LEVELS)[number] = 'warn';
}
