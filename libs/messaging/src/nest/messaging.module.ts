import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Admin, Kafka, RetryOptions } from 'kafkajs';
import type { ConsumerStatus } from '../consumer/consumer-runner';
import { StalledPartitionsError } from '../consumer/stalled-partitions.error';
import { createKafkaClient } from '../kafka-client';
import { KafkaConfig } from '../kafka.config';
import { settlesWithin } from '../settles-within';
import type { MessagingLogger } from '../messaging-logger';
import { EventPublisher } from '../producer/event-publisher';
import { IdempotentProducer } from '../producer/idempotent-producer';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
const MESSAGING_LOGGER = Symbol('MESSAGING_LOGGER');

export interface MessagingModuleOptions {
  /** Default Kafka client id (KAFKA_CLIENT_ID overrides it). */
  clientId: string;
  /** CloudEvents `source` of the events this app publishes, e.g. `/enrichment`. */
  source: string;
  config: KafkaConfig;
  logger: MessagingLogger;
  /** Bounded retries for producers that have a fallback (the gateway's outbox); unbounded otherwise. */
  producerRetry?: RetryOptions;
}

/**
 * Connects the producer in the background and, on shutdown, flushes it (for at most
 * KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS: a broker that is down must not hold the process) before disconnecting.
 */
@Injectable()
export class ProducerLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly producer: IdempotentProducer,
    private readonly publisher: EventPublisher,
    @Inject(MESSAGING_LOGGER) private readonly logger: MessagingLogger,
    private readonly config: KafkaConfig,
  ) {}

  get isConnected(): boolean {
    return this.producer.isConnected;
  }

  onModuleInit(): void {
    // Not awaited: an app must start (and report not-ready) while the broker is unreachable.
    this.producer.keepConnecting().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    const flushed = await settlesWithin(this.publisher.flush(), this.config.KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS);
    if (flushed.status === 'rejected') this.logger.error({ err: flushed.reason }, 'flush on shutdown failed');
    if (flushed.status === 'pending')
      this.logger.warn(
        { timeoutMs: this.config.KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS },
        'Kafka did not acknowledge everything before shutdown; the rest stays uncommitted upstream',
      );
    await this.producer.disconnect();
  }
}

/** Readiness check: the broker answers a metadata request. */
@Injectable()
export class KafkaHealthCheck {
  readonly name = 'kafka';
  private admin: Admin | undefined;

  constructor(@Inject(KAFKA_CLIENT) private readonly kafka: Kafka) {}

  async check(): Promise<Record<string, unknown>> {
    this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
    try {
      await this.admin.connect();
      const cluster = await this.admin.describeCluster();
      return { brokers: cluster.brokers.length, controller: cluster.controller };
    } catch (error) {
      await this.admin.disconnect().catch(() => undefined);
      this.admin = undefined;
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }
}

interface TrackedConsumer {
  readonly consumerStatus: ConsumerStatus | undefined;
}

/** Liveness check of the app's consumer group: fails when the kafkajs consumer crashed for good. */
@Injectable()
export class KafkaConsumerHealth {
  readonly name = 'kafka_consumer';
  private consumer: TrackedConsumer | undefined;

  track(consumer: TrackedConsumer): void {
    this.consumer = consumer;
  }

  async check(): Promise<Record<string, unknown>> {
    const status = this.consumer?.consumerStatus;
    if (status?.crashed) throw new Error(`consumer crashed: ${status.crashed}`);
    return {
      running: status?.running ?? false,
      ...(status?.failingSince
        ? { failingSince: status.failingSince.toISOString(), lastError: status.lastError }
        : {}),
    };
  }
}

/**
 * Readiness check of the app's consumer group: fails while a partition has waited on the same records
 * for longer than the stall timeout. Readiness, not liveness: a stall during an outage of the broker or
 * the database would not end with a restart (it would only add rebalances, on every replica at once),
 * and a not-ready pod is visible and halts a rolling update of a version that wedges its consumer.
 */
@Injectable()
export class KafkaConsumerStallHealth {
  readonly name = 'kafka_consumer_progress';
  private consumer: TrackedConsumer | undefined;

  track(consumer: TrackedConsumer): void {
    this.consumer = consumer;
  }

  async check(): Promise<Record<string, unknown>> {
    const status = this.consumer?.consumerStatus;
    if (!status) return { running: false };
    if (status.stalled.length > 0) throw new StalledPartitionsError(status.stalled, status.stallTimeoutMs);
    return { stallTimeoutMs: status.stallTimeoutMs };
  }
}

/** The app's Kafka client and idempotent publisher, with their lifecycle. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_LOGGER, useValue: options.logger },
        { provide: KafkaConfig, useValue: options.config },
        {
          provide: KAFKA_CLIENT,
          useFactory: () => createKafkaClient(options.config, options.clientId, options.logger),
        },
        {
          provide: IdempotentProducer,
          useFactory: (kafka: Kafka) =>
            new IdempotentProducer(kafka, { retry: options.producerRetry, logger: options.logger }),
          inject: [KAFKA_CLIENT],
        },
        {
          provide: EventPublisher,
          useFactory: (producer: IdempotentProducer) =>
            new EventPublisher(producer, { source: options.source }),
          inject: [IdempotentProducer],
        },
        ProducerLifecycle,
        KafkaHealthCheck,
        KafkaConsumerHealth,
        KafkaConsumerStallHealth,
      ],
      exports: [
        KafkaConfig,
        KAFKA_CLIENT,
        IdempotentProducer,
        EventPublisher,
        ProducerLifecycle,
        KafkaHealthCheck,
        KafkaConsumerHealth,
        KafkaConsumerStallHealth,
      ],
    };
  }
}
