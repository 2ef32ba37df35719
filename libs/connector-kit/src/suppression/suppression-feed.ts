import { PRIVACY_TOPICS, type IdentitySuppressedV1 } from '@lead-delivery/contracts';
import type { MessagingLogger } from '@lead-delivery/messaging';
import { randomUUID } from 'node:crypto';
import type { KafkaClient, KafkaConsumer } from '../intake/kafka-types';
import type { SuppressedIdentities } from './suppressed-identities';

export interface SuppressionFeedOptions {
  kafka: KafkaClient;
  /** `connector-<destination>`: the feed reads in a group of its own per process, `<group>-suppression-<id>`. */
  group: string;
  identities: SuppressedIdentities;
  logger: MessagingLogger;
}

/**
 * Keeps SuppressedIdentities up to date from `identities.suppressed.v1`: every replica reads the whole
 * topic (its retention is the longest suppression period, so that is every suppression in force) in a
 * throwaway group that commits nothing, and keeps reading. `start` resolves once it has read up to the
 * end it found when it started, so deliveries begin knowing every earlier erasure.
 */
export class SuppressionFeed {
  private consumer: KafkaConsumer | undefined;

  constructor(private readonly options: SuppressionFeedOptions) {}

  get identities(): SuppressedIdentities {
    return this.options.identities;
  }

  async start(): Promise<void> {
    const { kafka, group, identities, logger } = this.options;
    const topic = PRIVACY_TOPICS.identitySuppressed;
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    const pending = new Map(
      ends.filter(({ high, low }) => high !== low).map(({ partition, high }) => [partition, BigInt(high)]),
    );
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (pending.size === 0) caughtUp();

    const consumer = kafka.consumer({
      groupId: `${group}-suppression-${randomUUID()}`,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        try {
          identities.add(JSON.parse(message.value?.toString('utf8') ?? '') as IdentitySuppressedV1);
        } catch {
          logger.warn({ topic, partition, offset: message.offset }, 'unreadable suppression record skipped');
        }
        const end = pending.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) {
          pending.delete(partition);
          if (pending.size === 0) caughtUp();
        }
      },
    });
    await ready;
    logger.info({ topic, suppressed: identities.size }, 'suppressed identities loaded');
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
