import { HEADERS } from '@lead-delivery/contracts';
import {
  PartitionProgress,
  toConsumedRecord,
  type ConsumedRecord,
  type MessagingLogger,
} from '@lead-delivery/messaging';
import { OffsetTracker, type TopicPartitionOffset } from '../pipeline/offset-tracker';
import type { EachBatchPayload, KafkaClient, KafkaConsumer } from './kafka-types';

export interface LeadIntakeOptions {
  kafka: KafkaClient;
  groupId: string;
  /** The source topic and the group's delayed-retry topic. */
  topics: { main: string; retry: string };
  /** Takes a record into the pipeline; `settle` is called once its outcome is durable. */
  handle(record: ConsumedRecord, settle: () => void): void;
  /** Records accepted but not settled above which fetching waits. */
  maxInFlight: number;
  logger: MessagingLogger;
  onInFlightChange?(count: number): void;
}

export interface IntakeStatus {
  running: boolean;
  /** Paused because the whole CRM is throttling or down. */
  paused: boolean;
  inFlight: number;
  /** Retry-topic partitions waiting for their next record's `x-not-before`. */
  waitingRetryPartitions: number;
  /** Set when the consumer crashed and kafkajs gave up restarting it. */
  crashed?: string;
}

const BACKPRESSURE_SLICE_MS = 200;

/**
 * The consumer of a connector group, reading the source topic and the group's retry topic.
 *
 * kafkajs fetches all partitions of a broker, then waits until every eachBatch call of that fetch has
 * returned before it fetches again. Holding records inside eachBatch until their CRM outcome would stall
 * every partition behind the slowest account and keep any record from joining a waiting batch. So
 * eachBatch only hands records to the pipeline and resolves them (which moves the fetch position; auto
 * commit is off), and the intake commits, per partition, the prefix of records whose outcome is durable.
 * It waits inside eachBatch only for backpressure (too many records in flight).
 *
 * A retry-topic record that is not due yet pauses its partition until its `x-not-before`; unresolved
 * records are fetched again on resume. A rebalance forgets revoked partitions (their new owner redelivers
 * what was not committed) and skips records that are already in the pipeline.
 */
export class LeadIntake {
  private consumer: KafkaConsumer | undefined;
  private readonly tracker = new OffsetTracker();
  /** How long each partition's committed offset has stood still while records wait (metric and readiness). */
  readonly progress = new PartitionProgress();
  private readonly retryHolds = new Map<number, { until: number; timer: NodeJS.Timeout }>();
  private accepting = false;
  private running = false;
  private crmPaused = false;
  private crashed: string | undefined;
  private committing: Promise<void> | undefined;
  private commitAgain = false;
  private commitRetry: NodeJS.Timeout | undefined;

  constructor(private readonly options: LeadIntakeOptions) {}

  get status(): IntakeStatus {
    return {
      running: this.running,
      paused: this.crmPaused,
      inFlight: this.tracker.pending,
      waitingRetryPartitions: this.retryHolds.size,
      ...(this.crashed ? { crashed: this.crashed } : {}),
    };
  }

  /** Resolves once the consumer has joined its group and runs. */
  async start(): Promise<void> {
    const { kafka, groupId, topics, logger } = this.options;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Short long-polls: a resumed partition is fetched again soon.
      maxWaitTimeInMs: 500,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.tracker.retain(payload.memberAssignment);
      this.progress.retain(payload.memberAssignment);
      for (const [partition, hold] of this.retryHolds) {
        if (!(payload.memberAssignment[topics.retry] ?? []).includes(partition)) {
          clearTimeout(hold.timer);
          this.retryHolds.delete(partition);
        }
      }
      this.applyPauses();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      logger.error({ groupId, err: payload.error, restart: payload.restart }, 'consumer crashed');
      if (!payload.restart) this.crashed = payload.error.message;
    });
    this.accepting = true;
    await consumer.connect();
    // A new group starts at the earliest offset: nothing produced before its first start is missed.
    await consumer.subscribe({ topics: [topics.main, topics.retry], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.running = true;
  }

  /** Stops fetching and taking records; what was taken keeps being settled and committed until stop(). */
  stopAccepting(): void {
    this.accepting = false;
    this.applyPauses();
  }

  /** Commits what has settled and leaves the group. */
  async stop(): Promise<void> {
    this.accepting = false;
    for (const hold of this.retryHolds.values()) clearTimeout(hold.timer);
    this.retryHolds.clear();
    clearTimeout(this.commitRetry);
    await this.commit();
    await this.consumer?.disconnect();
    this.progress.clear();
    this.running = false;
  }

  /** Pauses both topics while the whole CRM is throttling or down. */
  pause(): void {
    this.crmPaused = true;
    this.applyPauses();
  }

  resume(): void {
    this.crmPaused = false;
    this.applyPauses();
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
    const { topics, handle } = this.options;
    const [first] = batch.messages;
    // Retry-topic records wait for their `x-not-before` by design; a stall is measured on the source topic.
    if (first && batch.topic === topics.main) {
      this.progress.fetched(batch.topic, batch.partition, first.offset, batch.highWatermark);
    }
    for (const message of batch.messages) {
      if (!this.accepting || !isRunning() || isStale()) return;
      if (batch.topic === topics.retry) {
        const notBefore = Date.parse(message.headers?.[HEADERS.notBefore]?.toString() ?? '');
        if (notBefore > Date.now()) {
          this.holdRetryPartition(batch.partition, notBefore);
          return; // this record and the ones after it are fetched again once the partition resumes
        }
      }
      if (this.tracker.accept(batch.topic, batch.partition, message.offset)) {
        const record = toConsumedRecord(batch.topic, batch.partition, message);
        handle(record, () => this.settle(record));
      }
      resolveOffset(message.offset);
    }
    this.options.onInFlightChange?.(this.tracker.pending);
    await this.waitForRoom(heartbeat, isRunning);
  }

  private async waitForRoom(heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    while (this.accepting && isRunning() && this.tracker.pending >= this.options.maxInFlight) {
      await new Promise((resolve) => setTimeout(resolve, BACKPRESSURE_SLICE_MS));
      try {
        await heartbeat();
      } catch {
        return; // rebalancing: kafkajs rejoins; the records taken stay in the pipeline
      }
    }
  }

  private settle(record: ConsumedRecord): void {
    this.tracker.settle(record.topic, record.partition, record.offset);
    this.options.onInFlightChange?.(this.tracker.pending);
    void this.commit();
  }

  /** Commits the settled prefixes; concurrent requests coalesce into one more commit. */
  private commit(): Promise<void> {
    if (this.committing) {
      this.commitAgain = true;
      return this.committing;
    }
    this.committing = (async () => {
      do {
        this.commitAgain = false;
        const offsets = this.tracker.committable();
        if (offsets.length === 0 || !this.consumer || !this.running) break;
        await this.commitOffsets(offsets);
      } while (this.commitAgain);
    })().finally(() => (this.committing = undefined));
    return this.committing;
  }

  private async commitOffsets(offsets: TopicPartitionOffset[]): Promise<void> {
    try {
      await this.consumer?.commitOffsets(offsets);
      this.tracker.committed(offsets);
      for (const { topic, partition, offset } of offsets) this.progress.committed(topic, partition, offset);
    } catch (error) {
      this.options.logger.warn(
        { groupId: this.options.groupId, err: error },
        'offset commit failed; retrying',
      );
      clearTimeout(this.commitRetry);
      this.commitRetry = setTimeout(() => void this.commit(), 1_000);
    }
  }

  private holdRetryPartition(partition: number, until: number): void {
    const current = this.retryHolds.get(partition);
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => {
      this.retryHolds.delete(partition);
      this.applyPauses();
    }, until - Date.now());
    this.retryHolds.set(partition, { until, timer });
    this.applyPauses();
  }

  /** kafkajs keeps one pause state per topic; this recomputes it from the CRM state and the retry holds. */
  private applyPauses(): void {
    const consumer = this.consumer;
    if (!consumer) return;
    const { main, retry } = this.options.topics;
    try {
      consumer.resume([{ topic: main }, { topic: retry }]);
      if (this.crmPaused || !this.accepting) consumer.pause([{ topic: main }, { topic: retry }]);
      else if (this.retryHolds.size > 0)
        consumer.pause([{ topic: retry, partitions: [...this.retryHolds.keys()] }]);
    } catch (error) {
      // Not running yet (or restarting): GROUP_JOIN applies the pauses again.
      this.options.logger.debug({ err: error }, 'pause state not applied yet');
    }
  }
}
