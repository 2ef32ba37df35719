/** How long a partition's committed offset has stood still while records wait behind it. */
export interface PartitionStall {
  topic: string;
  partition: number;
  /** 0 when nothing waits (the group is at the end of the partition). */
  stalledSeconds: number;
  /** Records between the committed offset and the end of the partition, as last fetched. */
  lag: number;
}

interface Progress {
  topic: string;
  partition: number;
  committed: bigint;
  highWatermark: bigint;
  /** Since when the committed offset has not moved while records waited. */
  since: number;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Per assigned partition: where the group's committed offset is, how far the partition goes, and since
 * when the offset has not moved while records were waiting. A consumer feeds it from its fetches and its
 * commits; metrics and health read the stalls from it.
 */
export class PartitionProgress {
  private readonly partitions = new Map<string, Progress>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * A batch was fetched from `firstOffset` (the consumer's position: what is before it is committed)
   * in a partition that ends at `highWatermark`.
   */
  fetched(topic: string, partition: number, firstOffset: string, highWatermark: string): void {
    const key = keyOf(topic, partition);
    const end = BigInt(highWatermark);
    const current = this.partitions.get(key);
    if (!current) {
      const committed = BigInt(firstOffset);
      this.partitions.set(key, { topic, partition, committed, highWatermark: end, since: this.now() });
      return;
    }
    // The clock of a partition that was caught up starts when records begin to wait, not when it last moved.
    if (current.highWatermark <= current.committed && end > current.committed) current.since = this.now();
    current.highWatermark = end > current.highWatermark ? end : current.highWatermark;
  }

  /** The group committed `nextOffset` (the next record to consume) for the partition. */
  committed(topic: string, partition: number, nextOffset: string): void {
    const current = this.partitions.get(keyOf(topic, partition));
    const offset = BigInt(nextOffset);
    if (!current || offset === current.committed) return;
    current.committed = offset;
    current.since = this.now();
  }

  /** Forgets partitions no longer assigned to this member (their new owner reports them). */
  retain(assignment: Record<string, number[]>): void {
    for (const [key, { topic, partition }] of this.partitions) {
      if (!(assignment[topic] ?? []).includes(partition)) this.partitions.delete(key);
    }
  }

  clear(): void {
    this.partitions.clear();
  }

  stalls(): PartitionStall[] {
    const now = this.now();
    return [...this.partitions.values()].map(({ topic, partition, committed, highWatermark, since }) => {
      const lag = highWatermark > committed ? Number(highWatermark - committed) : 0;
      return { topic, partition, lag, stalledSeconds: lag > 0 ? Math.max(0, now - since) / 1000 : 0 };
    });
  }

  /** Partitions stalled for longer than `ms`, longest first. */
  stalledLongerThan(ms: number): PartitionStall[] {
    return this.stalls()
      .filter((stall) => stall.stalledSeconds * 1000 > ms)
      .sort((a, b) => b.stalledSeconds - a.stalledSeconds);
  }
}
