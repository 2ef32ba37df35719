import {
  EventPublisher,
  ProducerLifecycle,
  recordRefusalOf,
  settlesWithin,
  type OutgoingRecord,
} from '@lead-delivery/messaging';
import { LOGGER } from '@lead-delivery/observability';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { toDatabaseError } from '@lead-delivery/database';
import { OutboxStore, type OutboxEntry, type RelayOutcome } from './outbox-store';

const RELAY_BATCH = 500;
const RELAYED: RelayOutcome = { result: 'relayed' };
const KEPT: RelayOutcome = { result: 'kept' };

/**
 * Drains the outbox to Kafka, oldest first, whenever the producer is connected. Each row is settled on its
 * own: deleted once Kafka acknowledged it, moved to the dead outbox when Kafka refuses it for good (too
 * large, invalid), kept for the next pass on any other failure. So no row holds up the rows behind it. The
 * records keep the headers (and CloudEvents id) they were accepted with.
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
        let more: boolean;
        do {
          const pass = await this.outbox.relayOldest(RELAY_BATCH, (entries) => this.sendEach(entries));
          this.metrics.outboxRelayed.inc(pass.relayed);
          if (pass.relayed > 0) this.logger.info({ relayed: pass.relayed }, 'outbox relayed to Kafka');
          for (const { id, key, reason } of pass.deadLettered) {
            this.metrics.outboxDeadLettered.inc({ reason });
            this.logger.error(
              { outboxId: id, leadId: key, reason },
              'Kafka refused an outbox row for good; moved to the dead outbox (npm run dlq -- outbox list)',
            );
          }
          // Rows Kafka did not take for a passing reason wait for the next pass.
          more = pass.offered === RELAY_BATCH && pass.kept === 0;
        } while (more);
      }
      this.metrics.outboxDepth.set(await this.outbox.depth());
    } catch (error) {
      this.logger.warn(
        { err: toDatabaseError(error) },
        'outbox relay pass failed; rows kept for the next pass',
      );
    }
  }

  /**
   * Sends the rows together, then each row a refusal failed once more on its own: a refused record fails
   * the whole produce request it was batched into, so only a second refusal, alone, names the culprit.
   */
  private async sendEach(entries: OutboxEntry[]): Promise<RelayOutcome[]> {
    const sent = await Promise.allSettled(entries.map(({ record }) => this.publisher.send(record)));
    const outcomes: RelayOutcome[] = [];
    for (const [index, result] of sent.entries()) {
      if (result.status === 'fulfilled') outcomes.push(RELAYED);
      else if (recordRefusalOf(result.reason) === undefined) outcomes.push(KEPT);
      else outcomes.push(await this.sendAlone((entries[index] as OutboxEntry).record));
    }
    return outcomes;
  }

  private async sendAlone(record: OutgoingRecord): Promise<RelayOutcome> {
    try {
      await this.publisher.send(record);
      return RELAYED;
    } catch (error) {
      const refusal = recordRefusalOf(error);
      return refusal === undefined ? KEPT : { result: 'refused', reason: refusal };
    }
  }
}
