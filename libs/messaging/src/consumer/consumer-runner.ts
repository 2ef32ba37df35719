import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { Kafka } from 'kafkajs';
import type { MessagingLogger } from '../messaging-logger';
import type { EventPublisher } from '../producer/event-publisher';
import { sendDeadLetter } from '../producer/oversized-records';
import type { ConsumedRecord } from './consumed-record';
import { noopObserver, type ConsumerObserver } from './consumer-observer';
import { deadLetterOf, type RecordFailure } from './dead-letters';
import { classifyFailure, type FailureClass, type FailureClassifier } from './failure-classifier';
import { failureReason } from './failure-reason';
import { GroupConsumer, type FetchedBatch } from './group-consumer';
import { PartitionLanes, type StillCurrent } from './partition-lanes';
import type { PartitionStall } from './partition-progress';
import { PermanentRecordError } from './permanent-record.error';

export interface BatchContext {
  /** Call during long work so the group does not consider this member dead. */
  heartbeat(): Promise<void>;
}

/** Processes records of one partition, in offset order. Must be idempotent: records can be redelivered. */
export type BatchHandler = (records: ConsumedRecord[], context: BatchContext) => Promise<void>;

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  handleBatch: BatchHandler;
  /** Where records that fail by themselves go (the group's DLQ topic). */
  deadLetters: EventPublisher;
  logger: MessagingLogger;
  observer?: ConsumerObserver;
  /** What the handler's dependencies know about their errors (e.g. libs/database's classifier). */
  classifiers?: readonly FailureClassifier[];
  /** Attempts at a record that fails by itself before it is dead-lettered (default 3). */
  maxRecordAttempts?: number;
  /** How long a partition may wait on the same records before the status reports it stalled (default 5 min). */
  stallTimeoutMs?: number;
  /** Largest number of records handed to the handler at once. */
  maxRecordsPerCall?: number;
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  partitionsConsumedConcurrently?: number;
  /** Fetch sizing (kafkajs defaults otherwise): bigger fetches give the handler bigger batches. */
  fetch?: { maxBytesPerPartition?: number; maxBytes?: number; minBytes?: number; maxWaitTimeInMs?: number };
}

export interface ConsumerStatus {
  running: boolean;
  /** Set while the handler keeps failing (e.g. the database is down); cleared on the next success. */
  failingSince?: Date;
  lastError?: string;
  crashed?: string;
  /** Partitions whose committed offset has not moved for longer than the stall timeout while records wait. */
  stalled: PartitionStall[];
  stallTimeoutMs: number;
}

/** One partition batch being worked on: what the runner may do with it. */
interface BatchControl {
  heartbeat(): Promise<void>;
  active(): boolean;
  /** Commits the partition up to and including `record` (its outcome is durable). */
  commitThrough(record: ConsumedRecord): Promise<void>;
}

type PartOutcome =
  | { outcome: 'done' }
  | { outcome: 'interrupted' }
  /** The handler failed on several records for a reason of one of them: try them in halves. */
  | { outcome: 'split'; records: ConsumedRecord[] };

const HEARTBEAT_SLICE_MS = 1_000;
const DEFAULT_MAX_RECORD_ATTEMPTS = 3;
const DEFAULT_STALL_TIMEOUT_MS = 300_000;

const lastOf = (records: ConsumedRecord[]) => records[records.length - 1] as ConsumedRecord;
/** A partition's lane: handing a batch off and invalidating after one that did not finish must name the same. */
const laneOf = (topic: string, partition: number) => `${topic}|${partition}`;

/**
 * Runs a consumer group with offsets committed only after the handler succeeded. Handler failures are
 * classified (see `classifyFailure`):
 * - infrastructure (broker or database unavailable): the same records are retried in place with
 *   exponential backoff and jitter, for as long as it takes, heartbeating meanwhile; nothing is committed;
 * - record: a failing batch is halved until the record that fails is alone, so the others are processed;
 *   that record gets `maxRecordAttempts` attempts and then goes to the group's dead-letter topic with the
 *   reason, and the partition moves on. A PermanentRecordError dead-letters its record at once.
 * Writing a dead letter is retried like an outage until the broker takes it; one it refuses for its size
 * goes without its value (see `sendDeadLetter`). On stop, work in progress is
 * left uncommitted and will be redelivered. Per partition, the runner tracks how long the committed
 * offset has stood still while records wait (`status.stalled`, and the observer's stall gauge).
 *
 * kafkajs fetches a broker's partitions, then waits until every eachBatch call of that fetch has returned
 * before it fetches again: the handler would idle through each fetch, and the faster partitions' slots
 * through each fetch's slowest batch. So each fetched batch is handed to its partition's lane
 * (PartitionLanes: in order per partition, `partitionsConsumedConcurrently` at once) and the fetch position
 * moves past it, while its commit still waits for the handler. The next fetch runs while batches are
 * handled, up to one fetch ahead. A batch that does not finish (a rebalance, a failed commit) invalidates
 * the batches queued behind it in its lane and seeks the partition back to its first record not settled,
 * so no later commit passes a record that was not handled.
 */
export class ConsumerRunner {
  private readonly consumer: GroupConsumer;
  private readonly observer: ConsumerObserver;
  private readonly maxRecordAttempts: number;
  private readonly stallTimeoutMs: number;
  private readonly state: Pick<ConsumerStatus, 'failingSince' | 'lastError'> = {};
  private lanes: PartitionLanes | undefined;
  private stopping = false;

  constructor(private readonly options: ConsumerRunnerOptions) {
    const { kafka, groupId, topics, logger } = options;
    this.observer = options.observer ?? noopObserver;
    this.maxRecordAttempts = options.maxRecordAttempts ?? DEFAULT_MAX_RECORD_ATTEMPTS;
    this.stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    this.consumer = new GroupConsumer({
      kafka,
      groupId,
      topics,
      logger,
      config: options.fetch,
      // After a (re)join kafkajs fetches from the committed offsets again: what was queued is fetched anew.
      onAssignment: () => this.lanes?.invalidateAll(),
    });
    this.observer.partitionsWatched(this.consumer.progress);
  }

  get status(): ConsumerStatus {
    const { running, crashed, progress } = this.consumer;
    return {
      running,
      ...this.state,
      ...(crashed === undefined ? {} : { crashed }),
      stalled: progress.stalledLongerThan(this.stallTimeoutMs),
      stallTimeoutMs: this.stallTimeoutMs,
    };
  }

  async start(): Promise<void> {
    const concurrency = this.options.partitionsConsumedConcurrently ?? 1;
    this.stopping = false;
    this.lanes = new PartitionLanes({
      concurrency,
      maxWaiting: concurrency,
      onError: (error) =>
        this.options.logger.error({ groupId: this.options.groupId, err: error }, 'batch failed'),
    });
    await this.consumer.start((batch) => this.handOff(batch));
  }

  /** Drops the batches not started, waits for the handler calls under way, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.lanes?.close();
    await this.consumer.stop();
  }

  private async handOff(batch: FetchedBatch): Promise<void> {
    const lanes = this.lanes;
    if (!lanes || !batch.active()) return;
    batch.resolveOffset(lastOf(batch.records).offset);
    await lanes.add(laneOf(batch.topic, batch.partition), (stillCurrent) =>
      this.processBatch(batch, stillCurrent),
    );
  }

  private async processBatch(batch: FetchedBatch, stillCurrent: StillCurrent): Promise<void> {
    const { topic, partition, records } = batch;
    let unsettled = (records[0] as ConsumedRecord).offset;
    const control: BatchControl = {
      heartbeat: batch.heartbeat,
      active: () => stillCurrent() && batch.active(),
      commitThrough: async (record) => {
        unsettled = (BigInt(record.offset) + 1n).toString();
        await this.consumer.commit([{ topic, partition, offset: unsettled }]);
      },
    };
    const chunkSize = this.options.maxRecordsPerCall ?? 500;
    try {
      for (let start = 0; start < records.length; start += chunkSize) {
        if (!control.active() || !(await this.settle(records.slice(start, start + chunkSize), control))) {
          return this.unfinished(batch, unsettled, stillCurrent);
        }
      }
    } catch (error) {
      this.options.logger.warn(
        { groupId: this.options.groupId, topic, partition, offset: unsettled, err: error },
        'batch interrupted; fetching the partition again from its first record not settled',
      );
      return this.unfinished(batch, unsettled, stillCurrent);
    }
    this.observer.lagObserved(topic, partition, batch.offsetLag());
  }

  /** The lane's later batches must not commit past `unsettled`: they are dropped and fetched again from it. */
  private unfinished(
    { topic, partition }: FetchedBatch,
    unsettled: string,
    stillCurrent: StillCurrent,
  ): void {
    if (this.stopping || !stillCurrent()) return;
    this.lanes?.invalidate(laneOf(topic, partition));
    this.consumer.seek(topic, partition, unsettled);
  }

  /**
   * Handles `chunk` until every record is processed or dead-lettered, committing as its parts succeed.
   * False when interrupted (stop, rebalance): the rest stays uncommitted.
   */
  private async settle(chunk: ConsumedRecord[], control: BatchControl): Promise<boolean> {
    const parts = [chunk];
    for (let part = parts.shift(); part; part = parts.shift()) {
      const startedAt = Date.now();
      const result = await this.handlePart(part, control);
      if (result.outcome === 'interrupted') return false;
      if (result.outcome === 'split') {
        const half = Math.ceil(result.records.length / 2);
        parts.unshift(result.records.slice(0, half), result.records.slice(half));
        continue;
      }
      await control.commitThrough(lastOf(part));
      this.observer.batchProcessed(lastOf(part).topic, part.length, Date.now() - startedAt);
      await control.heartbeat();
    }
    return true;
  }

  private async handlePart(part: ConsumedRecord[], control: BatchControl): Promise<PartOutcome> {
    let records = part;
    let recordFailures = 0;
    let backoff: IBackoff<unknown> | undefined;
    while (control.active()) {
      try {
        if (records.length > 0) await this.options.handleBatch(records, { heartbeat: control.heartbeat });
        this.state.failingSince = undefined;
        return { outcome: 'done' };
      } catch (error) {
        if (error instanceof PermanentRecordError && records.includes(error.record)) {
          const failure = { kind: 'invalid_record', reason: error.reason };
          if (!(await this.deadLetter(error.record, failure, control))) return { outcome: 'interrupted' };
          records = records.filter((record) => record !== error.record);
          continue;
        }
        const failureClass = classifyFailure(error, this.options.classifiers);
        this.failed(records, error, failureClass);
        if (failureClass === 'record' && records.length > 1) return { outcome: 'split', records };
        if (failureClass === 'record' && (recordFailures += 1) >= this.maxRecordAttempts) {
          const failure = { kind: 'record_failed', reason: failureReason(error), attempts: recordFailures };
          if (!(await this.deadLetter(records[0] as ConsumedRecord, failure, control))) {
            return { outcome: 'interrupted' };
          }
          records = [];
          continue;
        }
        backoff = this.nextBackoff(backoff);
        this.options.logger.warn(
          {
            groupId: this.options.groupId,
            failureClass,
            ...(failureClass === 'record' ? { recordAttempt: recordFailures } : {}),
            retryInMs: backoff.duration,
            err: error,
          },
          'handler failed; retrying the batch, offsets not committed',
        );
        if (!(await this.waitHeartbeating(backoff.duration, control))) return { outcome: 'interrupted' };
      }
    }
    return { outcome: 'interrupted' };
  }

  private failed(records: ConsumedRecord[], error: unknown, failureClass: FailureClass): void {
    this.state.failingSince ??= new Date();
    this.state.lastError = failureReason(error);
    this.observer.handlerFailed(records[0]?.topic ?? '', failureClass);
  }

  /** Writes the dead letter, retrying while the broker does not take it; false when interrupted. */
  private async deadLetter(
    record: ConsumedRecord,
    failure: RecordFailure,
    control: BatchControl,
  ): Promise<boolean> {
    const { groupId, logger } = this.options;
    const ids = { groupId, topic: record.topic, partition: record.partition, offset: record.offset };
    let backoff: IBackoff<unknown> | undefined;
    while (control.active()) {
      try {
        await sendDeadLetter(this.options.deadLetters, deadLetterOf(record, groupId, failure), {
          logger,
          valueOmitted: (dlqTopic) => this.observer.deadLetterValueOmitted(dlqTopic),
        });
        this.observer.deadLettered(record.topic, failure.kind);
        logger.warn({ ...ids, kind: failure.kind, reason: failure.reason }, 'record dead-lettered');
        return true;
      } catch (error) {
        backoff = this.nextBackoff(backoff);
        logger.warn(
          { ...ids, retryInMs: backoff.duration, err: error },
          'could not write a dead letter; retrying, offsets not committed',
        );
        if (!(await this.waitHeartbeating(backoff.duration, control))) return false;
      }
    }
    return false;
  }

  private nextBackoff(previous: IBackoff<unknown> | undefined): IBackoff<unknown> {
    return (
      previous ??
      new ExponentialBackoff({
        initialDelay: this.options.retryInitialDelayMs ?? 200,
        maxDelay: this.options.retryMaxDelayMs ?? 15_000,
      })
    ).next(undefined);
  }

  private async waitHeartbeating(ms: number, control: BatchControl): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!control.active()) return false;
      try {
        await control.heartbeat();
      } catch {
        return false; // rebalancing: the partition may now belong to another member
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(HEARTBEAT_SLICE_MS, until - Date.now())));
    }
    return control.active();
  }
}
