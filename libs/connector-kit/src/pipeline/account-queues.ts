interface Waiting<Item> {
  item: Item;
  queuedAt: number;
  readyAt: number;
}

interface Queue<Item> {
  waiting: Waiting<Item>[];
  holdUntil: number;
}

/**
 * The micro-batcher: one queue per account, since a CRM call carries one account's records. A queue is
 * due when it holds a full batch of ready records, or when its oldest ready record has waited
 * `maxWaitMs`; never while the account is held (Retry-After, backoff). Time is passed in (ms).
 */
export class AccountQueues<Item> {
  private readonly queues = new Map<string, Queue<Item>>();

  constructor(
    private readonly maxBatchSize: number,
    private readonly maxWaitMs: number,
  ) {}

  add(accountId: string, item: Item, now: number): void {
    this.queue(accountId).waiting.push({ item, queuedAt: now, readyAt: now });
  }

  /** Puts records back, ahead of the others, ready again at `readyAt`. */
  requeue(accountId: string, items: Item[], readyAt: number, queuedAt: number): void {
    this.queue(accountId).waiting.unshift(...items.map((item) => ({ item, queuedAt, readyAt })));
  }

  /** No call for this account before `until`. */
  hold(accountId: string, until: number): void {
    const queue = this.queue(accountId);
    queue.holdUntil = Math.max(queue.holdUntil, until);
  }

  heldUntil(accountId: string, now: number): number | undefined {
    const holdUntil = this.queues.get(accountId)?.holdUntil ?? 0;
    return holdUntil > now ? holdUntil : undefined;
  }

  size(accountId: string): number {
    return this.queues.get(accountId)?.waiting.length ?? 0;
  }

  /** Accounts with a batch to send now, oldest first; `busy` accounts (a call in flight) are skipped. */
  due(now: number, busy: (accountId: string) => boolean): string[] {
    return [...this.queues]
      .filter(([accountId, queue]) => !busy(accountId) && this.isDue(queue, now))
      .sort(([, a], [, b]) => this.oldestReady(a, now) - this.oldestReady(b, now))
      .map(([accountId]) => accountId);
  }

  /** Removes and returns up to a batch of ready records of the account. */
  take(accountId: string, now: number): Item[] {
    const queue = this.queues.get(accountId);
    if (!queue) return [];
    const taken: Item[] = [];
    queue.waiting = queue.waiting.filter((waiting) => {
      if (taken.length >= this.maxBatchSize || waiting.readyAt > now) return true;
      taken.push(waiting.item);
      return false;
    });
    this.dropIfIdle(accountId, queue, now);
    return taken;
  }

  /** Removes and returns every record of the account (or of every account). */
  drain(accountId?: string): Item[] {
    const accounts = accountId === undefined ? [...this.queues.keys()] : [accountId];
    return accounts.flatMap((account) => {
      const queue = this.queues.get(account);
      if (!queue) return [];
      this.queues.delete(account);
      return queue.waiting.map((waiting) => waiting.item);
    });
  }

  /** When the next queue becomes due (for the one timer the scheduler keeps), if any can. */
  nextDueAt(now: number, busy: (accountId: string) => boolean): number | undefined {
    let next: number | undefined;
    for (const [accountId, queue] of this.queues) {
      if (busy(accountId) || queue.waiting.length === 0) continue;
      const readyTimes = queue.waiting.map((waiting) => waiting.readyAt).sort((a, b) => a - b);
      const fullAt =
        readyTimes.length >= this.maxBatchSize ? (readyTimes[this.maxBatchSize - 1] as number) : Infinity;
      const waitedAt = Math.min(
        ...queue.waiting.map((waiting) => Math.max(waiting.readyAt, waiting.queuedAt + this.maxWaitMs)),
      );
      const at = Math.max(queue.holdUntil, Math.min(fullAt, waitedAt));
      next = next === undefined ? at : Math.min(next, at);
    }
    return next === undefined ? undefined : Math.max(next, now);
  }

  get total(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.waiting.length;
    return count;
  }

  private queue(accountId: string): Queue<Item> {
    let queue = this.queues.get(accountId);
    if (!queue) {
      queue = { waiting: [], holdUntil: 0 };
      this.queues.set(accountId, queue);
    }
    return queue;
  }

  private isDue(queue: Queue<Item>, now: number): boolean {
    if (queue.holdUntil > now) return false;
    const ready = queue.waiting.filter((waiting) => waiting.readyAt <= now);
    return (
      ready.length >= this.maxBatchSize || ready.some((waiting) => waiting.queuedAt + this.maxWaitMs <= now)
    );
  }

  private oldestReady(queue: Queue<Item>, now: number): number {
    return Math.min(...queue.waiting.filter((waiting) => waiting.readyAt <= now).map((w) => w.queuedAt));
  }

  private dropIfIdle(accountId: string, queue: Queue<Item>, now: number): void {
    if (queue.waiting.length === 0 && queue.holdUntil <= now) this.queues.delete(accountId);
  }
}
