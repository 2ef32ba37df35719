interface Waiting<Item> {
  item: Item;
  readyAt: number;
}

interface Queue<Item> {
  waiting: Waiting<Item>[];
  holdUntil: number;
}

/**
 * The adaptive batcher: one queue per account, since a CRM call carries one account's records. An
 * account is due as soon as it holds a ready record and has no call in flight, so a lone lead leaves at
 * once; records that arrive while a call is in flight form the next batch (at most `maxBatchSize`), which
 * leaves when that call returns. Never due while the account is held (Retry-After, backoff). Time is
 * passed in (ms).
 */
export class AccountQueues<Item> {
  private readonly queues = new Map<string, Queue<Item>>();

  constructor(private readonly maxBatchSize: number) {}

  add(accountId: string, item: Item, now: number): void {
    this.queue(accountId).waiting.push({ item, readyAt: now });
  }

  /** Puts records back, ahead of the others, ready again at `readyAt`. */
  requeue(accountId: string, items: Item[], readyAt: number): void {
    this.queue(accountId).waiting.unshift(...items.map((item) => ({ item, readyAt })));
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

  /** Accounts with a record to send now, longest waiting first; `busy` accounts (a call in flight) are skipped. */
  due(now: number, busy: (accountId: string) => boolean): string[] {
    return [...this.queues]
      .filter(([accountId, queue]) => !busy(accountId) && this.dueAt(queue) <= now)
      .sort(([, a], [, b]) => this.dueAt(a) - this.dueAt(b))
      .map(([accountId]) => accountId);
  }

  /** Removes and returns up to a batch of ready records of the account; `held` records stay, in their place. */
  take(accountId: string, now: number, held: (item: Item) => boolean = () => false): Item[] {
    const queue = this.queues.get(accountId);
    if (!queue) return [];
    const taken: Item[] = [];
    queue.waiting = queue.waiting.filter((waiting) => {
      if (taken.length >= this.maxBatchSize || waiting.readyAt > now || held(waiting.item)) return true;
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

  /**
   * When the next idle account becomes due (for the one timer the scheduler keeps), if any can; a busy
   * account needs no timer, the end of its call makes it due.
   */
  nextDueAt(now: number, busy: (accountId: string) => boolean): number | undefined {
    let next: number | undefined;
    for (const [accountId, queue] of this.queues) {
      if (busy(accountId) || queue.waiting.length === 0) continue;
      const at = this.dueAt(queue);
      next = next === undefined ? at : Math.min(next, at);
    }
    return next === undefined ? undefined : Math.max(next, now);
  }

  private queue(accountId: string): Queue<Item> {
    let queue = this.queues.get(accountId);
    if (!queue) {
      queue = { waiting: [], holdUntil: 0 };
      this.queues.set(accountId, queue);
    }
    return queue;
  }

  /** When the queue's first record is ready and the account no longer held (Infinity when empty). */
  private dueAt(queue: Queue<Item>): number {
    let firstReady = Infinity;
    for (const waiting of queue.waiting) firstReady = Math.min(firstReady, waiting.readyAt);
    return Math.max(queue.holdUntil, firstReady);
  }

  private dropIfIdle(accountId: string, queue: Queue<Item>, now: number): void {
    if (queue.waiting.length === 0 && queue.holdUntil <= now) this.queues.delete(accountId);
  }
}
