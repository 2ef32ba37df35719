import { KafkaHealthCheck } from '@lead-delivery/messaging';
import type { HealthCheck } from '@lead-delivery/observability';
import { Injectable } from '@nestjs/common';
import { OutboxStore } from '../outbox/outbox-store';
import { withTimeout } from './with-timeout';

// Below the probe's own deadline, so one path that hangs (a broker that is down) cannot hide the other.
const PATH_CHECK_TIMEOUT_MS = 1_500;

/**
 * Ready while at least one durable path works: with Kafka down the gateway still accepts leads into the
 * outbox, and taking it out of the load balancer then would turn a degraded service into an outage.
 */
@Injectable()
export class IntakeReadinessCheck implements HealthCheck {
  readonly name = 'durable_intake';

  constructor(
    private readonly kafka: KafkaHealthCheck,
    private readonly outbox: OutboxStore,
  ) {}

  async check(): Promise<Record<string, unknown>> {
    const [kafka, outbox] = await Promise.allSettled([
      withTimeout(this.kafka.check(), PATH_CHECK_TIMEOUT_MS),
      withTimeout(this.outbox.ping(), PATH_CHECK_TIMEOUT_MS),
    ]);
    const details = {
      kafka: kafka.status === 'fulfilled' ? 'up' : 'down',
      outbox: outbox.status === 'fulfilled' ? 'up' : 'down',
    };
    if (kafka.status === 'rejected' && outbox.status === 'rejected') {
      throw new Error(
        `neither Kafka (${(kafka.reason as Error).message}) nor the outbox (${(outbox.reason as Error).message}) is available`,
      );
    }
    return details;
  }
}
