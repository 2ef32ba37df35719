import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from './kafka.config';
import type { MessagingLogger } from './messaging-logger';
import { useSinglePassFetchDecoding } from './consumer/single-pass-fetch-decoding';
import { stopIdleRequestQueuePolling } from './request-queue-schedule';

const LEVELS = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

/** The kafkajs client of an app. kafkajs stays behind libs/messaging so it can be swapped in one place. */
export function createKafkaClient(config: KafkaConfig, clientId: string, logger: MessagingLogger): Kafka {
  stopIdleRequestQueuePolling(); // kafkajs polled an empty request queue every millisecond
  useSinglePassFetchDecoding(); // kafkajs spent two Decoders, Long arithmetic and a header object per header on each record
  return new Kafka(kafkaJsOptions(config, clientId, logger));
}

export function kafkaJsOptions(
  config: KafkaConfig,
  clientId: string,
  logger: MessagingLogger,
): KafkaJsConfig {
  return {
    clientId: config.KAFKA_CLIENT_ID ?? clientId,
    brokers: config.KAFKA_BROKERS,
    connectionTimeout: config.KAFKA_CONNECTION_TIMEOUT_MS,
    requestTimeout: config.KAFKA_REQUEST_TIMEOUT_MS,
    ssl: config.KAFKA_SSL
      ? config.KAFKA_SSL_CA_FILE
        ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] }
        : true
      : undefined,
    sasl: saslOptions(config),
    logLevel: LEVELS[config.KAFKA_LOG_LEVEL],
    logCreator: () => (entry: LogEntry) => forwardLog(logger, entry),
  };
}

function saslOptions(config: KafkaConfig): SASLOptions | undefined {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = config;
  if (!mechanism || username === undefined || password === undefined) return undefined;
  return { mechanism, username, password } as SASLOptions;
}

function forwardLog(logger: MessagingLogger, { level, log }: LogEntry): void {
  const { message, timestamp: _timestamp, logger: _name, ...context } = log;
  const entry = { component: 'kafkajs', ...context };
  if (level === logLevel.ERROR) logger.error(entry, message);
  else if (level === logLevel.WARN) logger.warn(entry, message);
  else if (level === logLevel.INFO) logger.info(entry, message);
  else logger.debug(entry, message);
}
