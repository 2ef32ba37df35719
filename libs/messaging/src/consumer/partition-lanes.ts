import { bulkhead, type BulkheadPolicy } from 'cockatiel';

/** False once the work's lane was invalidated after the work was added. */
export type StillCurrent = () => boolean;

/** Work of one lane; it is told whether it is still current, and should stop (committing nothing) once not. */
export type LaneWork = (stillCurrent: StillCurrent) => Promise<void>;

export interface PartitionLanesOptions {
  /** Works that run at once, across lanes. */
  concurrency: number;
  /** Works added but not started above which `add` waits. */
  maxWaiting: number;
  /** A work threw (it should not): its lane is invalidated, so the lane's later works do not run. */
  onError(error: unknown): void;
}

interface Lane {
  tail: Promise<void>;
  /** Works added and not finished; the lane is forgotten at 0, so no work outlives its lane's epoch. */
  outstanding: number;
  epoch: number;
}

/**
 * Works run one at a time per lane (a partition), in the order they were added, and at most
 * `concurrency` at once across lanes. `add` returns once the work is queued and no more than
 * `maxWaiting` works wait to start: the caller (kafkajs' fetch loop) goes on while works run, and waits
 * when it is that far ahead. Invalidating a lane tells the works added to it so far that they are no
 * longer current (a rebalance, or an earlier work of the lane that did not finish).
 */
export class PartitionLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly slots: BulkheadPolicy;
  private readonly roomWaiters: Array<() => void> = [];
  private waiting = 0;
  private closed = false;

  constructor(private readonly options: PartitionLanesOptions) {
    this.slots = bulkhead(options.concurrency, Number.POSITIVE_INFINITY);
  }

  /** Queues `work` behind the lane's earlier works; resolves once there is room for more (or on close). */
  async add(lane: string, work: LaneWork): Promise<void> {
    const current = this.lanes.get(lane) ?? { tail: Promise.resolve(), outstanding: 0, epoch: 0 };
    this.lanes.set(lane, current);
    const { epoch } = current;
    const stillCurrent = () => !this.closed && current.epoch === epoch;
    current.outstanding += 1;
    this.waiting += 1;
    current.tail = current.tail
      .then(() => this.run(lane, work, stillCurrent))
      .finally(() => {
        current.outstanding -= 1;
        if (current.outstanding === 0) this.lanes.delete(lane);
      });
    while (this.waiting > this.options.maxWaiting && !this.closed) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** The works added to `lane` so far are no longer current. */
  invalidate(lane: string): void {
    const current = this.lanes.get(lane);
    if (current) current.epoch += 1;
  }

  invalidateAll(): void {
    for (const lane of this.lanes.values()) lane.epoch += 1;
  }

  /** No work is current any more and `add` no longer waits; resolves once the running works returned. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeRoomWaiters();
    await Promise.all([...this.lanes.values()].map((lane) => lane.tail));
  }

  private async run(lane: string, work: LaneWork, stillCurrent: StillCurrent): Promise<void> {
    let started = false;
    const start = () => {
      started = true;
      this.leftWaiting();
      return work(stillCurrent);
    };
    try {
      // A work that is no longer current neither takes a slot nor runs.
      if (stillCurrent()) await this.slots.execute(() => (stillCurrent() ? start() : undefined));
    } catch (error) {
      // The lane's later works must not go past one that failed.
      this.invalidate(lane);
      this.options.onError(error);
    } finally {
      if (!started) this.leftWaiting();
    }
  }

  private leftWaiting(): void {
    this.waiting -= 1;
    this.wakeRoomWaiters();
  }

  private wakeRoomWaiters(): void {
    for (const resolve of this.roomWaiters.splice(0)) resolve();
  }
}
