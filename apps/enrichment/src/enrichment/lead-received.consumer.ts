import { LEAD_ENRICHED_V1, TOPICS, type LeadEnrichedV1 } from '@lead-delivery/contracts';
import {
  DependencyUnavailableError,
  EventPublisher,
  ProducerLifecycle,
  withRecordContext,
  type ConsumedRecord,
} from '@lead-delivery/messaging';
import { ConsumeTopic, KafkaBatchContext } from '@lead-delivery/messaging/nest-transport';
import { LOGGER } from '@lead-delivery/observability';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { enrichLead, type EnrichmentSettings } from './enrich-lead';
import { enrichedEventId } from './enriched-event-id.util';
import { EnrichmentMetrics } from './enrichment.metrics';
import { readReceivedLead, type ReceivedLead } from './received-lead';

export const ENRICHMENT_SETTINGS = Symbol('ENRICHMENT_SETTINGS');
const PRODUCER_CONNECT_WAIT_MS = 10_000;
const PRODUCER_CONNECT_POLL_MS = 100;
// The broker refuses a record batch (what one request carries for one partition) above
// message.max.bytes, 1 MiB by default, and refusing it again on every retry would wedge the partition.
// The outputs of one input partition share an output partition (same keys, same partition count), so
// a handler call is published in slices well below that, each acknowledged before the next.
const PUBLISH_SLICE_BYTES = 256 * 1024;
// The CloudEvents and x- headers of one record, with room to spare.
const HEADER_BYTES = 512;

interface Enriched {
  record: ConsumedRecord;
  received: ReceivedLead;
  value: LeadEnrichedV1;
  /** The value as published: serialised once, for its event id, its size and the record itself. */
  json: string;
  id: string;
  processingSeconds: number;
  bytes: number;
}

/**
 * Enriches every received lead and publishes it to leads.enriched.v1. The handler resolves only once
 * Kafka acknowledged every output of the batch, and the runner commits the input offsets after that:
 * at-least-once, with outputs a redelivery reproduces (same value, same event id).
 */
@Controller()
export class LeadReceivedConsumer {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly producer: ProducerLifecycle,
    private readonly metrics: EnrichmentMetrics,
    @Inject(ENRICHMENT_SETTINGS) private readonly settings: EnrichmentSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @ConsumeTopic(TOPICS.leadReceived)
  async handle(@Payload() records: ConsumedRecord[], @Ctx() context: KafkaBatchContext): Promise<void> {
    // Everything is computed before anything is published: a record that breaks the contract is
    // dead-lettered by the runner, which then hands the rest back without duplicates.
    const batch = records.map((record) => this.enrich(record));
    await this.producerConnected(context);
    for (const slice of slices(batch)) {
      await Promise.all(slice.map((enriched) => this.publish(enriched)));
      await context.heartbeat();
    }
    const ackedAt = new Date();
    const debug = this.logger.isLevelEnabled('debug');
    for (const { received, value, processingSeconds } of batch) {
      this.metrics.published(value, processingSeconds, received.receivedAt, ackedAt);
      if (!debug) continue;
      this.logger.debug(
        {
          leadId: value.lead.lead_id,
          accountId: value.routing.account_id,
          score: value.enrichment.score,
          tier: value.enrichment.tier,
          destinations: value.routing.destinations,
        },
        'lead enriched',
      );
    }
  }

  private publish({ record, received, value, json, id }: Enriched): Promise<void> {
    // `time` is when the enrichment happened (the default): only the value and the id are the same on
    // redelivery, and a later enrichment of the same lead (after a model change) is the newer one.
    // In the record's span, the output joins the lead's trace as a child of its enrichment.
    return withRecordContext(record, () =>
      this.publisher.publish(
        LEAD_ENRICHED_V1,
        value,
        {
          accountId: received.event.accountId,
          leadKind: value.kind,
          ...(received.event.traceparent ? { traceparent: received.event.traceparent } : {}),
          id,
        },
        json,
      ),
    );
  }

  /**
   * The consumer can start before the producer has connected (it connects in the background at init);
   * kafkajs' idempotent producer fails with a TypeError when used before that, so wait for it a while.
   */
  private async producerConnected(context: KafkaBatchContext): Promise<void> {
    for (let waitedMs = 0; !this.producer.isConnected; waitedMs += PRODUCER_CONNECT_POLL_MS) {
      if (waitedMs >= PRODUCER_CONNECT_WAIT_MS) {
        throw new DependencyUnavailableError('Kafka producer not connected yet; the batch will be retried');
      }
      await context.heartbeat();
      await new Promise((resolve) => setTimeout(resolve, PRODUCER_CONNECT_POLL_MS));
    }
  }

  private enrich(record: ConsumedRecord): Enriched {
    const started = performance.now();
    const received = readReceivedLead(record);
    const value = enrichLead(received, this.settings);
    const processingSeconds = (performance.now() - started) / 1000;
    const json = JSON.stringify(value);
    return {
      record,
      received,
      value,
      json,
      id: enrichedEventId(received.event.id, json),
      processingSeconds,
      bytes: Buffer.byteLength(json) + HEADER_BYTES,
    };
  }
}

/** Consecutive runs of `batch` of at most PUBLISH_SLICE_BYTES each (a larger record alone). */
function slices(batch: Enriched[]): Enriched[][] {
  const result: Enriched[][] = [];
  let current: Enriched[] = [];
  let bytes = 0;
  for (const enriched of batch) {
    if (current.length > 0 && bytes + enriched.bytes > PUBLISH_SLICE_BYTES) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(enriched);
    bytes += enriched.bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}
