import {
  HEADERS,
  LEAD_DELIVERY_V1,
  type DeliveryOutcome,
  type DeliverySkipReason,
  type LeadDeliveryV1,
} from '@lead-delivery/contracts';
import {
  deadLetterOf,
  forwardedCopy,
  sendDeadLetter,
  sendUnlessTooLarge,
  type ConsumedRecord,
  type EventPublisher,
  type MessagingLogger,
  type OutgoingRecord,
  withRecordContext,
} from '@lead-delivery/messaging';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { ConnectorMetrics } from '../metrics/connector-metrics';
import { scrubPii } from '../support/scrub-pii';
import type { EnrichedLead } from './enriched-lead';

/** A consumed lead on its way through the pipeline. */
export interface TrackedLead {
  lead: EnrichedLead;
  record: ConsumedRecord;
  /** CRM calls that carried it so far, across retry-topic rounds, except those the CRM refused to process. */
  attempts: number;
  /** Calls that carried it and that the CRM refused to process (429, 503), across retry-topic rounds. */
  refusedCalls: number;
  /** Called once its outcome is durable: its offset may then be committed. */
  settle(): void;
}

export interface RecorderOptions {
  publisher: EventPublisher;
  destination: string;
  group: string;
  retryTopic: string;
  metrics: ConnectorMetrics;
  logger: MessagingLogger;
  now: () => number;
}

const ABANDONED = Symbol('abandoned');

/**
 * Makes outcomes durable: a `leads.delivery.v1` event for every outcome, plus the record's copy on the
 * retry topic (parked) or the dead-letter topic. A lead settles only once the broker acknowledged all of
 * it; a failed write is retried until it succeeds or the app gives up at shutdown (then the lead is not
 * settled, its offset not committed, and it is delivered again after restart). A copy the broker refuses
 * for its size would be refused forever: a dead letter then goes without its value (`sendDeadLetter`), and
 * a lead that cannot be parked is dead-lettered (`too_large_to_park`).
 */
export class OutcomeRecorder {
  private readonly writes = new Set<Promise<void>>();
  private abandoned = false;

  constructor(private readonly options: RecorderOptions) {}

  delivered(tracked: TrackedLead, crmRecordId: string): void {
    const deliveredAt = this.options.now();
    this.options.metrics.delivered(tracked.lead.event.lead.timestamp, deliveredAt);
    this.write(tracked, 'delivered', { crmRecordId, deliveredAt });
  }

  /**
   * Moves the lead to the delayed retry topic, due again after `delayMs`. The copy goes before the
   * `failed` event: a copy the retry topic refuses for its size makes the lead dead-lettered instead.
   */
  parked(tracked: TrackedLead, delayMs: number, failure: { kind: string; reason: string }): void {
    const { group, retryTopic, publisher } = this.options;
    const notBefore = new Date(this.options.now() + Math.max(0, Math.round(delayMs))).toISOString();
    const reason = scrubPii(failure.reason);
    const copy = forwardedCopy(
      tracked.record,
      retryTopic,
      group,
      { kind: failure.kind, reason, attempts: tracked.attempts },
      { [HEADERS.notBefore]: notBefore, [HEADERS.refusedCalls]: String(tracked.refusedCalls) },
    );
    const park = () => withRecordContext(tracked.record, () => sendUnlessTooLarge(publisher, copy));
    this.track(
      this.durably(park).then((refusal) => {
        if (refusal === ABANDONED) return;
        if (refusal !== undefined) {
          this.deadLettered(
            tracked,
            'too_large_to_park',
            `the retry topic refused the record for its size (${refusal}); last error (${failure.kind}): ${reason}`,
          );
          return;
        }
        this.options.metrics.retried('parked');
        this.options.logger.info(
          {
            ...this.ids(tracked),
            kind: failure.kind,
            attempts: tracked.attempts,
            refusedCalls: tracked.refusedCalls,
            notBefore,
          },
          'lead parked on the retry topic',
        );
        this.write(tracked, 'failed', { error: `${failure.kind}: ${reason}` });
      }),
    );
  }

  deadLettered(tracked: TrackedLead, kind: string, reason: string): void {
    const scrubbed = scrubPii(reason);
    const letter = deadLetterOf(tracked.record, this.options.group, {
      kind,
      reason: scrubbed,
      attempts: tracked.attempts,
    });
    const copy = {
      ...letter,
      headers: { ...letter.headers, [HEADERS.refusedCalls]: String(tracked.refusedCalls) },
    };
    this.options.metrics.deadLettered(kind);
    this.options.logger.warn(
      {
        ...this.ids(tracked),
        kind,
        attempts: tracked.attempts,
        refusedCalls: tracked.refusedCalls,
        reason: scrubbed,
      },
      'lead dead-lettered',
    );
    this.write(tracked, 'dead_lettered', { error: `${kind}: ${scrubbed}` }, () => this.sendDeadLetter(copy));
  }

  /**
   * A lead the CRM account declines on purpose (e.g. an archived lead source): published as `skipped`
   * with `<reason>: <detail>` as its error, then settled. No retry and no dead letter: a replay would be
   * declined the same way, and it is no failure for an operator to act on.
   */
  skipped(tracked: TrackedLead, reason: DeliverySkipReason, detail: string): void {
    this.options.logger.info({ ...this.ids(tracked), reason }, 'lead skipped: the CRM account declines it');
    this.write(tracked, 'skipped', { error: `${reason}: ${scrubPii(detail)}` });
  }

  /** A lead of an erased identity: not delivered, recorded as `suppressed` (no personal data in the event). */
  suppressed(tracked: TrackedLead): void {
    this.options.logger.info(this.ids(tracked), 'lead of an erased identity suppressed');
    this.write(tracked, 'suppressed', {});
  }

  /** A record that is not a readable `leads.enriched.v1` event: dead-lettered, with no delivery event. */
  invalid(record: ConsumedRecord, reason: string, settle: () => void): void {
    this.options.metrics.deadLettered('invalid_record');
    this.options.logger.warn(
      { topic: record.topic, partition: record.partition, offset: record.offset, reason },
      'record is not a readable lead event; dead-lettered',
    );
    const copy = deadLetterOf(record, this.options.group, { kind: 'invalid_record', reason });
    const send = () => withRecordContext(record, () => this.sendDeadLetter(copy));
    this.track(this.durably(send).then((result) => result !== ABANDONED && settle()));
  }

  /** Resolves once every write started so far has finished (or was abandoned). */
  async idle(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  /** Stops retrying writes: what is not durable yet stays unsettled. */
  abandon(): void {
    this.abandoned = true;
  }

  private write(
    tracked: TrackedLead,
    outcome: DeliveryOutcome,
    details: { crmRecordId?: string; deliveredAt?: number; error?: string },
    sendCopy?: () => Promise<void>,
  ): void {
    const { lead, record } = tracked;
    const value: LeadDeliveryV1 = {
      lead_id: lead.leadId,
      account_id: lead.accountId,
      destination: this.options.destination,
      outcome,
      crm_record_id: details.crmRecordId ?? null,
      attempts: tracked.attempts,
      error: details.error ?? null,
      lead_timestamp: lead.event.lead.timestamp,
      delivered_at: details.deliveredAt === undefined ? null : new Date(details.deliveredAt).toISOString(),
      occurred_at: new Date(this.options.now()).toISOString(),
      // A suppressed lead's event names no one: the person key is the erased email or phone.
      ...(outcome !== 'suppressed' && lead.event.enrichment?.person_key
        ? { person_key: lead.event.enrichment.person_key }
        : {}),
    };
    const envelope = {
      accountId: lead.accountId,
      leadKind: lead.event.kind,
      ...(record.headers[HEADERS.traceparent] ? { traceparent: record.headers[HEADERS.traceparent] } : {}),
    };
    const { publisher } = this.options;
    // In the record's process span: what is sent for the lead joins its trace. The copy goes first, on
    // its own: a copy refused for its size fails the produce request it shares, and the event with it.
    const sends = () =>
      withRecordContext(record, async () => {
        await sendCopy?.();
        await publisher.publish(LEAD_DELIVERY_V1, value, envelope);
      });
    this.track(
      this.durably(sends).then((result) => {
        if (result === ABANDONED) return;
        this.options.metrics.outcomePublished(outcome);
        tracked.settle();
      }),
    );
  }

  private sendDeadLetter(copy: OutgoingRecord): Promise<void> {
    return sendDeadLetter(this.options.publisher, copy, {
      logger: this.options.logger,
      valueOmitted: () => this.options.metrics.deadLetterValueOmitted(),
    });
  }

  /** What `send` resolved with, once it succeeds; ABANDONED when the app gave up first. */
  private async durably<T>(send: () => Promise<T>): Promise<T | typeof ABANDONED> {
    let backoff: IBackoff<unknown> | undefined;
    while (!this.abandoned) {
      try {
        return await send();
      } catch (error) {
        backoff = (backoff ?? new ExponentialBackoff({ initialDelay: 200, maxDelay: 5_000 })).next(undefined);
        this.options.logger.warn(
          { err: error, retryInMs: backoff.duration },
          'could not write a delivery outcome to Kafka; retrying, offsets stay uncommitted',
        );
        await new Promise((resolve) => setTimeout(resolve, backoff?.duration));
      }
    }
    return ABANDONED;
  }

  private track(write: Promise<unknown>): void {
    const tracked = write.then(
      () => undefined,
      (error: unknown) => this.options.logger.error({ err: error }, 'outcome write failed'),
    );
    this.writes.add(tracked);
    void tracked.finally(() => this.writes.delete(tracked));
  }

  private ids({ lead, record }: TrackedLead) {
    return {
      destination: this.options.destination,
      leadId: lead.leadId,
      accountId: lead.accountId,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    };
  }
}
