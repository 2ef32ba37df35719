import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { MessagingLogger } from '../messaging-logger';
import type { EventPublisher } from '../producer/event-publisher';
import { toConsumedRecord, type ConsumedRecord } from './consumed-record';
import { noopObserver, type ConsumerObserver } from './consumer-observer';
import { deadLetterOf } from './dead-letters';
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
  /** Where PermanentRecordError records go (the group's DLQ topic). */
  deadLetters: EventPublisher;
  logger: MessagingLogger;
  observer?: ConsumerObserver;
  /** Largest number of records handed to the handler at once. */
  maxRecordsPerCall?: number;
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  /** Fetch sizing (kafkajs defaults otherwise): bigger fetches give the handler bigger batches. */
  fetch?: { maxBytesPerPartition?: number; maxBytes?: number; minBytes?: number; maxWaitTimeInMs?: number };
}

export interface ConsumerStatus {
  running: boolean;
  /** Set while the handler keeps failing (e.g. the database is down); cleared on the next success. */
  failingSince?: Date;
  lastError?: string;
  crashed?: string;
}

const HEARTBEAT_SLICE_MS = 1_000;

/**
 * Runs a consumer group with offsets committed only after the handler succeeded. A failing handler is
 * retried in place with exponential backoff and jitter, for as long as it takes, heartbeating meanwhile:
 * nothing is skipped and nothing is committed until the effect is durable. On stop, work in progress is
 * left uncommitted and will be redelivered.
 */
export class ConsumerRunner {
  private consumer: Consumer | undefined;
  private stopping = false;
  private readonly observer: ConsumerObserver;
  private readonly state: ConsumerStatus = { running: false };

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.observer = options.observer ?? noopObserver;
  }

  get status(): ConsumerStatus {
    return { ...this.state };
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      ...this.options.fetch,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts the consumer after retriable crashes; only a final one makes the app unhealthy.
      if (!payload.restart) this.state.crashed = payload.error.message;
      this.options.logger.error(
        { groupId, err: payload.error, restarting: payload.restart },
        'consumer crashed',
      );
    });
    await consumer.connect();
    // A new group starts at the earliest offset: nothing produced before its first start is missed.
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.processBatch(payload),
    });
    this.state.running = true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    this.state.running = false;
  }

  private async processBatch({ batch, heartbeat, resolveOffset, isRunning, isStale }: EachBatchPayload) {
    const active = () => !this.stopping && isRunning() && !isStale();
    const records = batch.messages.map((message) => toConsumedRecord(batch.topic, batch.partition, message));
    const chunkSize = this.options.maxRecordsPerCall ?? 500;

    for (let start = 0; start < records.length && active(); start += chunkSize) {
      const chunk = records.slice(start, start + chunkSize);
      const startedAt = Date.now();
      if (!(await this.handleUntilDone(chunk, heartbeat, active))) return;

      const last = chunk[chunk.length - 1] as ConsumedRecord;
      resolveOffset(last.offset);
      await this.consumer?.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
      ]);
      this.observer.batchProcessed(batch.topic, chunk.length, Date.now() - startedAt);
      await heartbeat();
    }
    this.observer.lagObserved(batch.topic, batch.partition, Number(batch.offsetLag()));
  }

  /** True once the handler succeeded for every record (bad ones dead-lettered); false when interrupted. */
  private async handleUntilDone(
    chunk: ConsumedRecord[],
    heartbeat: () => Promise<void>,
    active: () => boolean,
  ): Promise<boolean> {
    let records = chunk;
    let backoff: IBackoff<unknown> | undefined;
    let attempt = 0;
    while (active()) {
      try {
        if (records.length > 0) await this.options.handleBatch(records, { heartbeat });
        this.state.failingSince = undefined;
        return true;
      } catch (error) {
        if (error instanceof PermanentRecordError && records.includes(error.record)) {
          await this.deadLetter(error);
          records = records.filter((record) => record !== error.record);
          continue;
        }
        attempt += 1;
        this.state.failingSince ??= new Date();
        this.state.lastError = (error as Error).message;
        this.observer.handlerFailed(records[0]?.topic ?? '', error, attempt);
        backoff = (
          backoff ??
          new ExponentialBackoff({
            initialDelay: this.options.retryInitialDelayMs ?? 200,
            maxDelay: this.options.retryMaxDelayMs ?? 15_000,
          })
        ).next(undefined);
        this.options.logger.warn(
          { groupId: this.options.groupId, attempt, retryInMs: backoff.duration, err: error },
          'handler failed; retrying the batch, offsets not committed',
        );
        if (!(await this.waitHeartbeating(backoff.duration, heartbeat, active))) return false;
      }
    }
    return false;
  }

  private async deadLetter(error: PermanentRecordError): Promise<void> {
    const { record, reason } = error;
    await this.options.deadLetters.send(
      deadLetterOf(record, this.options.groupId, { kind: 'invalid_record', reason }),
    );
    this.observer.deadLettered(record.topic, 'invalid_record');
    this.options.logger.warn(
      {
        groupId: this.options.groupId,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        reason,
      },
      'record dead-lettered',
    );
  }

  private async waitHeartbeating(ms: number, heartbeat: () => Promise<void>, active: () => boolean) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!active()) return false;
      try {
        await heartbeat();
      } catch {
        return false; // rebalancing: the partition may now belong to another member
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(HEARTBEAT_SLICE_MS, until - Date.now())));
    }
    return active();
  }
}
