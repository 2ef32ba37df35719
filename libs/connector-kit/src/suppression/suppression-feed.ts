import { PRIVACY_TOPICS } from '@lead-delivery/contracts';
import {
  GroupConsumer,
  PermanentRecordError,
  type ConsumedRecord,
  type FetchedBatch,
  type MessagingLogger,
} from '@lead-delivery/messaging';
import { randomUUID } from 'node:crypto';
import type { KafkaClient } from '../intake/kafka-types';
import { CatchUp, type PartitionEnd } from './catch-up';
import type { SuppressedIdentities } from './suppressed-identities';
import { decodeSuppression } from './suppression-record.decoder';

export interface SuppressionFeedOptions {
  kafka: KafkaClient;
  /** `connector-<destination>`: the feed reads in a group of its own per process, `<group>-suppression-<id>`. */
  group: string;
  identities: SuppressedIdentities;
  logger: MessagingLogger;
}

export interface SuppressionFeedStatus {
  running: boolean;
  /** Has read up to the end the topic had when the feed started. */
  caughtUp: boolean;
  /** Suppressions in memory (some may have run out). */
  suppressed: number;
  /** Set when the consumer crashed and kafkajs gave up restarting it: suppressions stop arriving. */
  crashed?: string;
}

/**
 * Keeps SuppressedIdentities up to date from `identities.suppressed.v1`, on libs/messaging's
 * GroupConsumer. Every replica must know every suppression, so each reads the whole topic (its retention
 * is the longest suppression period, so that is every suppression in force) in a throwaway group of its
 * own that commits nothing, and keeps reading. Not ConsumerRunner: it commits every batch and
 * dead-letters to the group's DLQ topic, which a throwaway group has none of.
 *
 * `start` resolves once the feed has read up to the end it found when it started, so deliveries begin
 * knowing every earlier erasure; it rejects if the consumer crashes for good or the feed stops first.
 * A record that cannot be decoded is skipped with a warning (it never becomes readable; the others
 * still apply). Any other failure is retried in place by the consumer, holding back later suppressions
 * rather than losing one; broker outages are retried the same way.
 */
export class SuppressionFeed {
  private readonly topic = PRIVACY_TOPICS.identitySuppressed;
  private consumer: GroupConsumer | undefined;
  private catchUp: CatchUp | undefined;

  constructor(private readonly options: SuppressionFeedOptions) {}

  get identities(): SuppressedIdentities {
    return this.options.identities;
  }

  get status(): SuppressionFeedStatus {
    const crashed = this.consumer?.crashed;
    return {
      running: this.consumer?.running ?? false,
      caughtUp: this.catchUp?.complete ?? false,
      suppressed: this.options.identities.size,
      ...(crashed === undefined ? {} : { crashed }),
    };
  }

  async start(): Promise<void> {
    const { kafka, group, identities, logger } = this.options;
    const catchUp = new CatchUp(await this.partitionEnds());
    this.catchUp = catchUp;
    this.consumer = new GroupConsumer({
      kafka,
      groupId: `${group}-suppression-${randomUUID()}`,
      topics: [this.topic],
      logger,
      // Nothing is ever committed: an offset that stands still is no stall.
      watchStalls: () => false,
      onCrash: (error) => catchUp.abandon(new Error(`suppression feed crashed: ${error.message}`)),
    });
    await this.consumer.start(async (batch) => this.read(batch, catchUp));
    await catchUp.done;
    logger.info({ topic: this.topic, suppressed: identities.size }, 'suppressed identities loaded');
  }

  async stop(): Promise<void> {
    this.catchUp?.abandon(new Error('suppression feed stopped before it had read the whole topic'));
    await this.consumer?.stop();
  }

  private async partitionEnds(): Promise<PartitionEnd[]> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      return await admin.fetchTopicOffsets(this.topic);
    } finally {
      await admin.disconnect();
    }
  }

  private async read(batch: FetchedBatch, catchUp: CatchUp): Promise<void> {
    for (const record of batch.records) {
      if (!batch.active()) return;
      this.apply(record);
      batch.resolveOffset(record.offset);
      catchUp.read(record.partition, record.offset);
    }
  }

  private apply(record: ConsumedRecord): void {
    try {
      this.options.identities.add(decodeSuppression(record));
    } catch (error) {
      if (!(error instanceof PermanentRecordError)) throw error;
      const { topic, partition, offset } = record;
      this.options.logger.warn(
        { topic, partition, offset, reason: error.reason },
        'unreadable suppression record skipped',
      );
    }
  }
}
