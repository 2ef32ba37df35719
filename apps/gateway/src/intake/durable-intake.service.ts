import {
  EventPublisher,
  ProducerLifecycle,
  recordRefusalOf,
  type OutgoingRecord,
} from '@lead-delivery/messaging';
import { LOGGER } from '@lead-delivery/observability';
import { Inject, Injectable } from '@nestjs/common';
import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { Logger } from 'pino';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { toDatabaseError } from '@lead-delivery/database';
import { OutboxStore } from '../outbox/outbox-store';
import { Problems } from '../problems/problem.exception';
import { TimeoutError, withTimeout } from './with-timeout';

export type Durability = 'kafka' | 'outbox';

/**
 * Makes an accepted lead durable before the gateway answers: Kafka (acks=all) if it acknowledges within
 * KAFKA_ACK_TIMEOUT_MS, else the PostgreSQL outbox; neither → 503. After a few Kafka failures in a row the
 * circuit opens and leads go straight to the outbox instead of each waiting for the timeout.
 */
@Injectable()
export class DurableIntake {
  // A record Kafka refuses for what it is (too large, invalid) says nothing about Kafka's health.
  private readonly kafkaCircuit = circuitBreaker(
    handleWhen((error) => recordRefusalOf(error) === undefined),
    {
      halfOpenAfter: 2_000,
      breaker: new ConsecutiveBreaker(3),
    },
  );

  constructor(
    private readonly publisher: EventPublisher,
    private readonly producer: ProducerLifecycle,
    private readonly outbox: OutboxStore,
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async store(record: OutgoingRecord): Promise<Durability> {
    if (await this.toKafka(record)) return 'kafka';
    try {
      await withTimeout(this.outbox.add(record), this.config.OUTBOX_WRITE_TIMEOUT_MS);
      return 'outbox';
    } catch (error) {
      this.logger.error(
        { err: toDatabaseError(error), leadId: record.key },
        'lead could be stored neither in Kafka nor in the outbox',
      );
      throw Problems.unavailable(this.config.RETRY_AFTER_SECONDS);
    }
  }

  private async toKafka(record: OutgoingRecord): Promise<boolean> {
    if (!this.producer.isConnected) {
      this.metrics.produceDuration.observe({ result: 'disconnected' }, 0);
      return false;
    }
    const started = performance.now();
    try {
      await this.kafkaCircuit.execute(() =>
        withTimeout(this.publisher.send(record), this.config.KAFKA_ACK_TIMEOUT_MS),
      );
      this.metrics.produceDuration.observe({ result: 'acked' }, secondsSince(started));
      return true;
    } catch (error) {
      const result =
        error instanceof BrokenCircuitError
          ? 'circuit_open'
          : error instanceof TimeoutError
            ? 'timeout'
            : 'error';
      this.metrics.produceDuration.observe({ result }, secondsSince(started));
      if (result !== 'circuit_open')
        this.logger.warn({ err: error, leadId: record.key }, 'Kafka did not take the lead; using the outbox');
      return false;
    }
  }
}

function secondsSince(startedMs: number): number {
  return (performance.now() - startedMs) / 1_000;
}
