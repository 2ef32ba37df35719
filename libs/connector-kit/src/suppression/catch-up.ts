/** A partition's offsets as the admin client reports them: `high` is the next offset to be written. */
export interface PartitionEnd {
  partition: number;
  low: string;
  high: string;
}

/**
 * Waits until a consumer has read every partition up to the end it had when the wait began. `done`
 * resolves then (at once for empty partitions), or rejects if the wait is abandoned first.
 */
export class CatchUp {
  readonly done: Promise<void>;
  private readonly pending: Map<number, bigint>;
  private resolve: () => void = () => undefined;
  private reject: (error: Error) => void = () => undefined;

  constructor(ends: PartitionEnd[]) {
    this.pending = new Map(
      ends.filter(({ low, high }) => low !== high).map(({ partition, high }) => [partition, BigInt(high)]),
    );
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.settleIfComplete();
  }

  get complete(): boolean {
    return this.pending.size === 0;
  }

  /** The consumer has read the record at `offset` of `partition`. */
  read(partition: number, offset: string): void {
    const end = this.pending.get(partition);
    if (end === undefined || BigInt(offset) + 1n < end) return;
    this.pending.delete(partition);
    this.settleIfComplete();
  }

  /** Rejects `done` with `error` unless it has already resolved. */
  abandon(error: Error): void {
    this.reject(error);
  }

  private settleIfComplete(): void {
    if (this.complete) this.resolve();
  }
}
