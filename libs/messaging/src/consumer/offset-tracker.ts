export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to consume, as Kafka commits it. */
  offset: string;
}

interface Entry {
  offset: bigint;
  done: boolean;
}

interface PartitionState {
  entries: Entry[];
  head: number;
  byOffset: Map<bigint, Entry>;
  lastAccepted: bigint;
  /** Next offset after the settled prefix; committed when it moves. */
  settledUpTo?: bigint;
  committedUpTo?: bigint;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Which offsets may be committed: per partition, the prefix of accepted records that are all settled
 * (their outcome durable). Records settle out of order (accounts are delivered independently); the
 * commit only ever moves over a contiguous settled prefix.
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, PartitionState & { topic: string; partition: number }>();

  /**
   * Registers a consumed record. False when it was accepted before: after a rejoin Kafka hands out the
   * uncommitted records again, and those are still in the pipeline.
   */
  accept(topic: string, partition: number, offset: string): boolean {
    const value = BigInt(offset);
    let state = this.partitions.get(key(topic, partition));
    if (!state) {
      state = { topic, partition, entries: [], head: 0, byOffset: new Map(), lastAccepted: value - 1n };
      this.partitions.set(key(topic, partition), state);
    }
    if (value <= state.lastAccepted) return false;
    const entry = { offset: value, done: false };
    state.entries.push(entry);
    state.byOffset.set(value, entry);
    state.lastAccepted = value;
    return true;
  }

  settle(topic: string, partition: number, offset: string): void {
    const state = this.partitions.get(key(topic, partition));
    const entry = state?.byOffset.get(BigInt(offset));
    if (!state || !entry) return; // the partition was revoked meanwhile
    entry.done = true;
    while (state.head < state.entries.length && (state.entries[state.head] as Entry).done) {
      const settled = state.entries[state.head] as Entry;
      state.byOffset.delete(settled.offset);
      state.settledUpTo = settled.offset + 1n;
      state.head += 1;
    }
    if (state.head > 1_024 && state.head * 2 > state.entries.length) {
      state.entries = state.entries.slice(state.head);
      state.head = 0;
    }
  }

  /** Offsets to commit: partitions whose settled prefix moved since the last commit. */
  committable(): TopicPartitionOffset[] {
    return [...this.partitions.values()]
      .filter((state) => state.settledUpTo !== undefined && state.settledUpTo !== state.committedUpTo)
      .map((state) => ({
        topic: state.topic,
        partition: state.partition,
        offset: String(state.settledUpTo),
      }));
  }

  committed(offsets: TopicPartitionOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      const state = this.partitions.get(key(topic, partition));
      if (state) state.committedUpTo = BigInt(offset);
    }
  }

  /** Forgets partitions that are no longer assigned to this member; their new owner redelivers. */
  retain(assignment: Record<string, number[]>): void {
    for (const [name, state] of this.partitions) {
      if (!(assignment[state.topic] ?? []).includes(state.partition)) this.partitions.delete(name);
    }
  }

  /** Accepted records not yet settled. */
  get pending(): number {
    let count = 0;
    for (const state of this.partitions.values()) count += state.byOffset.size;
    return count;
  }
}
