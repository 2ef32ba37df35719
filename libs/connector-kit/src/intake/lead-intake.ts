import { HEADERS } from '@lead-delivery/contracts';
import {
  GroupConsumer,
  OutOfOrderCommits,
  type ConsumedRecord,
  type FetchedBatch,
  type MessagingLogger,
  type PartitionProgress,
} from '@lead-delivery/messaging';
import type { KafkaClient } from './kafka-types';

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
// A fetch is taken whole before backpressure applies, and its records (slices of the fetch response)
// keep that response in memory while any of them is in flight: kafkajs' defaults (1 MiB per partition,
// 10 MiB per fetch) would hold thousands of leads beyond maxInFlight. Some hundreds per fetch still fill
// the largest CRM batches.
const FETCH_BYTES_PER_PARTITION = 256 * 1024;
const FETCH_BYTES = 1024 * 1024;

/**
 * The consumer of a connector group, reading the source topic and the group's retry topic, on
 * libs/messaging's GroupConsumer (client settings, crash reporting, stall tracking) with out-of-order
 * commits (OutOfOrderCommits).
 *
 * kafkajs fetches all partitions of a broker, then waits until every eachBatch call of that fetch has
 * returned before it fetches again. Holding records inside eachBatch until their CRM outcome would stall
 * every partition behind the slowest account and keep any record from joining a waiting batch. So
 * each batch only hands records to the pipeline and resolves them (which moves the fetch position; auto
 * commit is off), and the intake commits, per partition, the prefix of records whose outcome is durable.
 * It waits inside a batch only for backpressure (too many records in flight).
 *
 * A retry-topic record that is not due yet pauses its partition until its `x-not-before`; unresolved
 * records are fetched again on resume. A rebalance forgets revoked partitions (their new owner redelivers
 * what was not committed) and skips records that are already in the pipeline.
 */
export class LeadIntake {
  private readonly consumer: GroupConsumer;
  private readonly commits: OutOfOrderCommits;
  private readonly retryHolds = new Map<number, { until: number; timer: NodeJS.Timeout }>();
  private accepting = false;
  private crmPaused = false;

  constructor(private readonly options: LeadIntakeOptions) {
    const { kafka, groupId, topics, logger } = options;
    this.consumer = new GroupConsumer({
      kafka,
      groupId,
      topics: [topics.main, topics.retry],
      logger,
      // Short long-polls: a resumed partition is fetched again soon.
      config: {
        heartbeatInterval: 3_000,
        maxWaitTimeInMs: 500,
        maxBytesPerPartition: FETCH_BYTES_PER_PARTITION,
        maxBytes: FETCH_BYTES,
      },
      // Retry-topic records wait for their `x-not-before` by design; a stall is measured on the source topic.
      watchStalls: (topic) => topic === topics.main,
      onAssignment: (assignment) => this.assigned(assignment),
    });
    this.commits = new OutOfOrderCommits({
      groupId,
      commit: (offsets) => this.consumer.commit(offsets),
      canCommit: () => this.consumer.running,
      logger,
    });
  }

  /** How long each partition's committed offset has stood still while records wait (metric and readiness). */
  get progress(): PartitionProgress {
    return this.consumer.progress;
  }

  get status(): IntakeStatus {
    const { running, crashed } = this.consumer;
    return {
      running,
      paused: this.crmPaused,
      inFlight: this.commits.pending,
      waitingRetryPartitions: this.retryHolds.size,
      ...(crashed ? { crashed } : {}),
    };
  }

  /** Resolves once the consumer has joined its group and runs. */
  async start(): Promise<void> {
    this.accepting = true;
    await this.consumer.start((batch) => this.take(batch));
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
    await this.commits.flush();
    await this.consumer.stop();
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

  private async take(batch: FetchedBatch): Promise<void> {
    const { topics, handle } = this.options;
    for (const record of batch.records) {
      if (!this.accepting || !batch.active()) return;
      if (batch.topic === topics.retry) {
        const notBefore = Date.parse(record.headers[HEADERS.notBefore] ?? '');
        if (notBefore > Date.now()) {
          this.holdRetryPartition(batch.partition, notBefore);
          return; // this record and the ones after it are fetched again once the partition resumes
        }
      }
      if (this.commits.accept(record)) handle(record, () => this.settle(record));
      batch.resolveOffset(record.offset);
    }
    this.options.onInFlightChange?.(this.commits.pending);
    await this.waitForRoom(batch);
  }

  private async waitForRoom(batch: FetchedBatch): Promise<void> {
    while (this.accepting && batch.active() && this.commits.pending >= this.options.maxInFlight) {
      await new Promise((resolve) => setTimeout(resolve, BACKPRESSURE_SLICE_MS));
      try {
        await batch.heartbeat();
      } catch {
        return; // rebalancing: kafkajs rejoins; the records taken stay in the pipeline
      }
    }
  }

  private settle(record: ConsumedRecord): void {
    this.commits.settle(record);
    this.options.onInFlightChange?.(this.commits.pending);
  }

  private assigned(assignment: Record<string, number[]>): void {
    this.commits.retain(assignment);
    for (const [partition, hold] of this.retryHolds) {
      if (!(assignment[this.options.topics.retry] ?? []).includes(partition)) {
        clearTimeout(hold.timer);
        this.retryHolds.delete(partition);
      }
    }
    this.applyPauses();
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
    const { main, retry } = this.options.topics;
    try {
      this.consumer.resume([{ topic: main }, { topic: retry }]);
      if (this.crmPaused || !this.accepting) this.consumer.pause([{ topic: main }, { topic: retry }]);
      else if (this.retryHolds.size > 0)
        this.consumer.pause([{ topic: retry, partitions: [...this.retryHolds.keys()] }]);
    } catch (error) {
      // Not running yet (or restarting): the next join applies the pauses again.
      this.options.logger.debug({ err: error }, 'pause state not applied yet');
    }
  }
}
