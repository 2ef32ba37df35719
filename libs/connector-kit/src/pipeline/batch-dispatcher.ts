import type { MessagingLogger } from '@lead-delivery/messaging';
import type { AccountQueues } from './account-queues';

/** Whether an account that is due may call now. */
export type Admission =
  | { kind: 'go' }
  /** Its records were taken out of the queue (e.g. parked while its breaker is open). */
  | { kind: 'skip' }
  /** It waits, without taking a slot, until `until` (its credential has no call left). */
  | { kind: 'wait'; until: number };

export interface BatchDispatcherOptions<Item> {
  queues: AccountQueues<Item>;
  maxConcurrentCalls: number;
  /** Which calls may start: none (the CRM is down), one at a time (its trial call), or any. */
  allowed(): 'none' | 'trial' | 'all';
  admit(accountId: string, now: number): Admission;
  /** What makes two records one (a lead id): a record waits while one with its key is in a call. */
  keyOf(item: Item): string;
  /**
   * One call with a batch of the account's records; resolves when its outcomes are handed over. It may call
   * `release()` earlier, once the account's next call may start beside it (see `BatchDispatcher`).
   */
  send(accountId: string, items: Item[], release: () => void): Promise<void>;
  logger: MessagingLogger;
  now: () => number;
}

/** Calls in flight for one account, how many of them have not released the account yet, and their records' keys. */
interface AccountCalls {
  inFlight: number;
  unreleased: number;
  keys: Set<string>;
}

/** A released call still in flight and the next one: never more per account. */
const MAX_CALLS_PER_ACCOUNT = 2;

/**
 * Starts calls from the account queues (the adaptive batcher): an account is due when it has a ready
 * record and no call in flight, so a lone record leaves at once and those arriving during a call leave
 * together when it returns. A call holds its account until it returns or releases it earlier (a pipelined
 * delivery, once its first request is answered), so at most two calls per account, and `maxConcurrentCalls`
 * in all; one timer wakes it for the next account that becomes due. A record never joins a call while one
 * with its key (the same lead, posted twice) is in the other: it waits for that call's outcome.
 */
export class BatchDispatcher<Item> {
  private readonly accounts = new Map<string, AccountCalls>();
  private readonly calls = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private queued = false;
  private stopped = false;

  constructor(private readonly options: BatchDispatcherOptions<Item>) {}

  /** Calls in flight. */
  get inFlight(): number {
    return this.calls.size;
  }

  /** Looks for due accounts on the next turn of the event loop (several wakes make one look). */
  wake(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      this.dispatch();
    });
  }

  /** Starts no more calls; those in flight go on. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Resolves once no call is in flight (calls started meanwhile included). */
  async drained(): Promise<void> {
    while (this.calls.size > 0) await Promise.allSettled([...this.calls]);
  }

  private dispatch(): void {
    if (this.stopped) return;
    const { queues, allowed, admit, maxConcurrentCalls, now: clock } = this.options;
    if (allowed() === 'none') return; // the outage gate wakes the dispatcher for the trial call
    const now = clock();
    const isBusy = (accountId: string) => this.isBusy(accountId);
    const waiting = new Set<string>();
    let waitUntil: number | undefined;
    for (const accountId of queues.due(now, isBusy)) {
      const trialInFlight = allowed() === 'trial' && this.calls.size > 0;
      if (trialInFlight || this.calls.size >= maxConcurrentCalls) {
        this.wakeAt(undefined); // the end of a call wakes it again
        return;
      }
      const admission = admit(accountId, now);
      if (admission.kind === 'skip') continue;
      if (admission.kind === 'wait') {
        waiting.add(accountId);
        waitUntil = Math.min(waitUntil ?? admission.until, admission.until);
        continue;
      }
      const items = queues.take(accountId, now, (item) => this.inCall(accountId, item));
      if (items.length === 0) {
        waiting.add(accountId); // what is ready waits for the call in flight with the same leads; its end wakes
        continue;
      }
      this.start(accountId, items);
    }
    const dueAt = queues.nextDueAt(now, (accountId) => isBusy(accountId) || waiting.has(accountId));
    this.wakeAt(waitUntil === undefined ? dueAt : Math.min(waitUntil, dueAt ?? waitUntil));
  }

  private wakeAt(at: number | undefined): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (at === undefined || this.stopped) return;
    this.timer = setTimeout(() => this.dispatch(), Math.max(0, at - this.options.now()));
  }

  private inCall(accountId: string, item: Item): boolean {
    return this.accounts.get(accountId)?.keys.has(this.options.keyOf(item)) ?? false;
  }

  private isBusy(accountId: string): boolean {
    const account = this.accounts.get(accountId);
    return account !== undefined && (account.unreleased > 0 || account.inFlight >= MAX_CALLS_PER_ACCOUNT);
  }

  private start(accountId: string, items: Item[]): void {
    if (items.length === 0) return;
    const account = this.accounts.get(accountId) ?? { inFlight: 0, unreleased: 0, keys: new Set<string>() };
    this.accounts.set(accountId, account);
    account.inFlight += 1;
    account.unreleased += 1;
    const keys = items.map((item) => this.options.keyOf(item));
    for (const key of keys) account.keys.add(key);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      account.unreleased -= 1;
      this.wake();
    };
    const call = this.options
      .send(accountId, items, release)
      .catch((error: unknown) =>
        this.options.logger.error({ err: error, accountId }, 'delivery call failed unexpectedly'),
      )
      .finally(() => {
        release();
        for (const key of keys) account.keys.delete(key);
        account.inFlight -= 1;
        if (account.inFlight === 0) this.accounts.delete(accountId);
        this.calls.delete(call);
        this.wake();
      });
    this.calls.add(call);
  }
}
