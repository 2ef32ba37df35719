import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { MessagingLogger } from '../messaging-logger';
import { toConsumedRecord, type ConsumedRecord } from './consumed-record';
import type { TopicPartitionOffset } from './offset-tracker';
import { PartitionProgress } from './partition-progress';

/** Topics (or some of their partitions) to pause or resume. */
export type TopicPartitions = Array<{ topic: string; partitions?: number[] }>;

export interface GroupConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: MessagingLogger;
  /** kafkajs consumer settings over the group's defaults (session timeout, heartbeat, fetch sizing). */
  config?: Partial<Omit<ConsumerConfig, 'groupId'>>;
  /** The topics whose stalls are tracked (default: all); e.g. not a retry topic whose records wait by design. */
  watchStalls?(topic: string): boolean;
  /** The member's partitions after each (re)join of the group. */
  onAssignment?(assignment: Record<string, number[]>): void;
  /** A crash kafkajs gave up restarting from (then also `crashed`): the consumer no longer fetches. */
  onCrash?(error: Error): void;
}

/** One fetched partition batch, as the consumer's strategy sees it. */
export interface FetchedBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  /** Records between the fetch position and the end of the partition. */
  offsetLag(): number;
  /** Moves the fetch position past `offset` (not a commit): the next fetch starts after it. */
  resolveOffset(offset: string): void;
  /** Call during long work so the group does not consider this member dead. */
  heartbeat(): Promise<void>;
  /** False once the consumer stops or the partition was revoked: work on the batch should stop. */
  active(): boolean;
}

/**
 * The kafkajs consumer of a group, shared by the platform's consumption strategies (ConsumerRunner's
 * in-order batches, the connectors' hand-off intake): the group's settings, no auto-commit and a batch
 * resolved only as the strategy says, subscription from the beginning for a new group, crash
 * reporting, and how long each partition's committed offset stands still while records wait.
 */
export class GroupConsumer {
  /** How long each partition's committed offset has stood still while records wait (metrics, readiness). */
  readonly progress = new PartitionProgress();
  private consumer: Consumer | undefined;
  private stopping = false;
  private started = false;
  private crash: string | undefined;

  constructor(private readonly options: GroupConsumerOptions) {}

  get running(): boolean {
    return this.started;
  }

  /** Set when the consumer crashed and kafkajs gave up restarting it. */
  get crashed(): string | undefined {
    return this.crash;
  }

  /** Resolves once the consumer has joined its group and runs `eachBatch` for every fetched partition batch. */
  async start(eachBatch: (batch: FetchedBatch) => Promise<void>): Promise<void> {
    const { kafka, groupId, topics, logger } = this.options;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // After the broker went away kafkajs restarts the consumer as a new member, and the group's next
      // rebalance waits until the old member's session expires: with 30 s, the reliability suite took 41 s
      // to deliver everything after a broker restart, with 10 s (Kafka's default before 3.0) 21 s. A handler
      // call that runs longer without a heartbeat costs a rebalance, and its records are redelivered.
      sessionTimeout: 10_000,
      ...this.options.config,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.progress.retain(payload.memberAssignment);
      this.options.onAssignment?.(payload.memberAssignment);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts the consumer after retriable crashes; only a final one makes the app unhealthy.
      logger.error({ groupId, err: payload.error, restarting: payload.restart }, 'consumer crashed');
      if (payload.restart) return;
      this.crash = payload.error.message;
      this.options.onCrash?.(payload.error);
    });
    await consumer.connect();
    // A new group starts at the earliest offset: nothing produced before its first start is missed.
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Both strategies hand a batch off and return; they run batches concurrently themselves.
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.fetched(payload, eachBatch),
    });
    this.started = true;
  }

  /** Commits the offsets (each the next record to consume of its partition). */
  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.consumer?.commitOffsets(offsets);
    for (const { topic, partition, offset } of offsets) this.progress.committed(topic, partition, offset);
  }

  /** The partition's next fetch starts at `offset`; batches fetched before it are stale (`active()` false). */
  seek(topic: string, partition: number, offset: string): void {
    this.consumer?.seek({ topic, partition, offset });
  }

  /** Stops fetching from the topics (or partitions); throws while the consumer is not running. */
  pause(topics: TopicPartitions): void {
    this.consumer?.pause(topics);
  }

  resume(topics: TopicPartitions): void {
    this.consumer?.resume(topics);
  }

  /** Leaves the group; what was not committed is redelivered to the partitions' next owner. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    this.progress.clear();
    this.started = false;
  }

  private fetched(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
    eachBatch: (batch: FetchedBatch) => Promise<void>,
  ): Promise<void> {
    const { topic, partition } = batch;
    const records = batch.messages.map((message) => toConsumedRecord(topic, partition, message));
    const [first] = records;
    if (!first) return Promise.resolve();
    if (this.options.watchStalls?.(topic) ?? true) {
      this.progress.fetched(topic, partition, first.offset, batch.highWatermark);
    }
    return eachBatch({
      topic,
      partition,
      records,
      offsetLag: () => Number(batch.offsetLag()),
      resolveOffset,
      heartbeat,
      active: () => !this.stopping && isRunning() && !isStale(),
    });
  }
}
