import type { MessagingLogger } from '../messaging-logger';
import type { ConsumedRecord } from './consumed-record';
import { OffsetTracker, type TopicPartitionOffset } from './offset-tracker';

export interface OutOfOrderCommitsOptions {
  groupId: string;
  /** Commits the offsets (GroupConsumer.commit). */
  commit(offsets: TopicPartitionOffset[]): Promise<void>;
  /** False while nothing may be committed (the consumer is not running). */
  canCommit(): boolean;
  logger: MessagingLogger;
  /** Wait before a failed commit is tried again (default 1 s). */
  retryMs?: number;
}

const DEFAULT_RETRY_MS = 1_000;

/**
 * Offsets of records handled out of order (a record is accepted when fetched and settled once its outcome
 * is durable, in any order): each settle commits, per partition, the prefix of records that are all
 * settled. Commit requests that arrive while one is under way coalesce into one more; a failed commit is
 * tried again after `retryMs`.
 */
export class OutOfOrderCommits {
  private readonly tracker = new OffsetTracker();
  private committing: Promise<void> | undefined;
  private commitAgain = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: OutOfOrderCommitsOptions) {}

  /** Accepted records not yet settled. */
  get pending(): number {
    return this.tracker.pending;
  }

  /**
   * Registers a fetched record; false when it was accepted before (after a rejoin Kafka hands out the
   * uncommitted records again, and those are still being handled).
   */
  accept(record: ConsumedRecord): boolean {
    return this.tracker.accept(record.topic, record.partition, record.offset);
  }

  /** The record's outcome is durable: commits what that settled. */
  settle(record: ConsumedRecord): void {
    this.tracker.settle(record.topic, record.partition, record.offset);
    void this.commit();
  }

  /** Forgets partitions no longer assigned to this member; their new owner redelivers. */
  retain(assignment: Record<string, number[]>): void {
    this.tracker.retain(assignment);
  }

  /** Commits the settled prefixes (and stops retrying a failed commit later). */
  flush(): Promise<void> {
    clearTimeout(this.retry);
    return this.commit();
  }

  private commit(): Promise<void> {
    if (this.committing) {
      this.commitAgain = true;
      return this.committing;
    }
    this.committing = this.commitSettled();
    return this.committing;
  }

  private async commitSettled(): Promise<void> {
    try {
      // Settles of the same turn join this commit; and a request can never arrive between the last
      // look at `commitAgain` and the end of this one (both run in the same turn).
      await undefined;
      do {
        this.commitAgain = false;
        const offsets = this.tracker.committable();
        if (offsets.length === 0 || !this.options.canCommit()) break;
        await this.commitOffsets(offsets);
      } while (this.commitAgain);
    } finally {
      this.committing = undefined;
    }
  }

  private async commitOffsets(offsets: TopicPartitionOffset[]): Promise<void> {
    try {
      await this.options.commit(offsets);
      this.tracker.committed(offsets);
    } catch (error) {
      this.options.logger.warn(
        { groupId: this.options.groupId, err: error },
        'offset commit failed; retrying',
      );
      clearTimeout(this.retry);
      this.retry = setTimeout(() => void this.commit(), this.options.retryMs ?? DEFAULT_RETRY_MS);
    }
  }
}
