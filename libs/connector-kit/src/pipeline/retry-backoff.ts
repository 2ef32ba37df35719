import { ExponentialBackoff, type IBackoff } from 'cockatiel';

export interface RetryBackoffSettings {
  backoffInitialMs: number;
  backoffMaxMs: number;
}

/** In-memory retry delays: exponential with decorrelated jitter, per account for failed calls in a row. */
export class RetryBackoff {
  private readonly backoff: ExponentialBackoff<unknown>;
  private readonly accounts = new Map<string, IBackoff<unknown>>();

  constructor(settings: RetryBackoffSettings) {
    this.backoff = new ExponentialBackoff({
      initialDelay: settings.backoffInitialMs,
      maxDelay: settings.backoffMaxMs,
    });
  }

  /** The account's next delay after one more failed call in a row. */
  nextFor(accountId: string): number {
    const previous = this.accounts.get(accountId);
    const backoff = previous ? previous.next(undefined) : this.backoff.next();
    this.accounts.set(accountId, backoff);
    return backoff.duration;
  }

  /** A call of the account succeeded: its next failure starts from the first delay again. */
  reset(accountId: string): void {
    this.accounts.delete(accountId);
  }

  /** The delay of the `steps`-th consecutive in-memory retry. */
  delayOf(steps: number): number {
    let backoff = this.backoff.next();
    for (let step = 1; step < steps; step += 1) backoff = backoff.next(undefined);
    return backoff.duration;
  }
}
