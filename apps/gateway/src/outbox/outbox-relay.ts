import { EventPublisher, ProducerLifecycle, settlesWithin } from '@lead-delivery/messaging';
import { toDatabaseError } from '@lead-delivery/database';
import { LOGGER } from '@lead-delivery/observability';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { OutboxStore } from './outbox-store';

const RELAY_BATCH = 500;

/**
 * Drains the outbox to Kafka, oldest first, whenever the producer is connected. Rows are deleted only
 * after Kafka acknowledged them; the records keep the headers (and CloudEvents id) they were accepted with.
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly publisher: EventPublisher,
    private readonly producer: ProducerLifecycle,
    private readonly metrics: GatewayMetrics,
    private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.config.OUTBOX_RELAY_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // A pass Kafka does not finish within the ack timeout (a broker that is down) is abandoned: its rows are
    // deleted only after an ack, so its transaction rolls back and they stay for the next gateway.
    if (this.running) await settlesWithin(this.running, this.config.KAFKA_ACK_TIMEOUT_MS);
  }

  /** One pass: relay everything there is (while Kafka takes it), then update the depth gauge. */
  async tick(): Promise<void> {
    if (!this.outbox.ready) return;
    try {
      if (this.producer.isConnected) {
        let relayed: number;
        do {
          relayed = await this.outbox.relayOldest(RELAY_BATCH, ({ records }) =>
            Promise.all(records.map((record) => this.publisher.send(record))).then(() => undefined),
          );
          this.metrics.outboxRelayed.inc(relayed);
          if (relayed > 0) this.logger.info({ relayed }, 'outbox relayed to Kafka');
        } while (relayed === RELAY_BATCH);
      }
      this.metrics.outboxDepth.set(await this.outbox.depth());
    } catch (error) {
      this.logger.warn(
        { err: toDatabaseError(error) },
        'outbox relay pass failed; rows kept for the next pass',
      );
    }
  }
}
