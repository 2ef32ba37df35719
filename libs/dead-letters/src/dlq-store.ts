import {
  EventPublisher,
  IdempotentProducer,
  decodeHeaders,
  fetchGroupOffsets,
  type createKafkaClient,
  type OutgoingRecord,
} from '@lead-delivery/messaging';
import { randomBytes } from 'node:crypto';
import type { DeadLetter } from './dead-letter';
import { decodeProgress, encodeMetadata, type PartitionProgress } from './replay-progress';

type Kafka = ReturnType<typeof createKafkaClient>;
type Consumer = ReturnType<Kafka['consumer']>;

const READ_TIMEOUT_MS = 60_000;

export const progressGroupOf = (dlqTopic: string) => `dlq-replay.${dlqTopic}`;

/** A group that records replay progress while a replay runs; only one replay of a topic at a time. */
export interface ProgressWriter {
  save(progress: Map<number, PartitionProgress>): Promise<void>;
  close(): Promise<void>;
}

/** The Kafka side of the CLI: reading dead-letter topics, replay progress, and sending replays. */
export class DlqStore {
  private readonly admin;
  private publisher: EventPublisher | undefined;
  private producer: IdempotentProducer | undefined;

  constructor(private readonly kafka: Kafka) {
    this.admin = kafka.admin();
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  /** Every topic named `*.dlq.*`, with the number of records it holds. */
  async dlqTopics(): Promise<Array<{ topic: string; records: number }>> {
    const topics = (await this.admin.listTopics()).filter((topic) => topic.includes('.dlq.')).sort();
    return Promise.all(
      topics.map(async (topic) => {
        const offsets = await this.admin.fetchTopicOffsets(topic);
        const records = offsets.reduce((sum, { high, low }) => sum + (Number(high) - Number(low)), 0);
        return { topic, records };
      }),
    );
  }

  /** Reads the whole topic up to its current end, with a throwaway consumer group. */
  async read(topic: string): Promise<DeadLetter[]> {
    const ends = await this.admin.fetchTopicOffsets(topic);
    const remaining = new Map(
      ends
        .filter(({ high, low }) => BigInt(high) > BigInt(low))
        .map(({ partition, high }) => [partition, BigInt(high)]),
    );
    if (remaining.size === 0) return [];
    const groupId = `dlq-cli-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
    const letters: DeadLetter[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`could not read ${topic} within ${READ_TIMEOUT_MS} ms`)),
          READ_TIMEOUT_MS,
        );
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          clearTimeout(timer);
          reject(payload.error);
        });
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const end = remaining.get(batch.partition);
              if (end === undefined) return;
              for (const message of batch.messages) {
                if (BigInt(message.offset) >= end) break;
                letters.push({
                  topic,
                  partition: batch.partition,
                  offset: message.offset,
                  key: message.key?.toString() ?? null,
                  value: message.value,
                  headers: decodeHeaders(message.headers),
                  timestamp: message.timestamp,
                });
              }
              if (BigInt(batch.lastOffset()) + 1n >= end) remaining.delete(batch.partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  }

  /** What has been replayed from each partition of the topic. */
  async progress(topic: string): Promise<Map<number, PartitionProgress>> {
    const ends = await this.admin.fetchTopicOffsets(topic);
    const offsets = await fetchGroupOffsets(this.admin, progressGroupOf(topic), topic);
    const committed = new Map(offsets.map((entry) => [entry.partition, entry]));
    return new Map(
      ends.map(({ partition, low }) => {
        const entry = committed.get(partition);
        const progress = decodeProgress(entry?.offset ?? '-1', entry?.metadata ?? null);
        // Records below the log start are gone: nothing left to replay there.
        return [
          partition,
          { ...progress, committed: progress.committed > BigInt(low) ? progress.committed : BigInt(low) },
        ];
      }),
    );
  }

  /** Joins the topic's progress group; refuses when another replay of the topic is running. */
  async progressWriter(topic: string): Promise<ProgressWriter> {
    const groupId = progressGroupOf(topic);
    const { groups } = await this.admin.describeGroups([groupId]);
    const state = groups[0]?.state;
    if (state && !['Empty', 'Dead'].includes(state)) {
      throw new Error(`another replay of ${topic} is running (group ${groupId} is ${state})`);
    }
    const consumer: Consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    consumer.pause([{ topic }]); // it only records progress; it never consumes
    return {
      save: async (progress) => {
        await consumer.commitOffsets(
          [...progress].map(([partition, state]) => ({
            topic,
            partition,
            offset: String(state.committed),
            metadata: encodeMetadata(state),
          })),
        );
      },
      close: () => consumer.disconnect(),
    };
  }

  /** Sends records and resolves once the broker acknowledged all of them (acks=all, idempotent). */
  async send(records: OutgoingRecord[]): Promise<void> {
    if (!this.publisher) {
      this.producer = new IdempotentProducer(this.kafka);
      await this.producer.connect();
      this.publisher = new EventPublisher(this.producer, { source: '/dlq-cli' });
    }
    const publisher = this.publisher;
    await Promise.all(records.map((record) => publisher.send(record)));
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    await this.admin.disconnect();
  }
}
