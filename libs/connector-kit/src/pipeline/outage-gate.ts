import type { ConnectorError } from '../connector/connector.error';

export type GateState = 'closed' | 'open' | 'half-open';

export interface OutageGateSettings {
  /** Consecutive failed calls that mean the whole CRM is down. */
  threshold: number;
  pauseMs: number;
}

/**
 * Tells a CRM-wide outage from one failing account: consumption pauses only when the CRM as a whole is
 * throttling or down. It opens on a failure scoped to the whole destination (e.g. the app's quota), or
 * after `threshold` consecutive failed calls that span at least two accounts (or are all `unavailable`,
 * which a single account can observe). One account failing alone trips that account's breaker instead.
 * After the pause it is half-open: one trial call decides. Time is passed in (ms).
 */
export class OutageGate {
  private current: GateState = 'closed';
  private until = 0;
  private streak = 0;
  private streakAccounts = new Set<string>();
  private streakAllUnavailable = true;

  constructor(private readonly settings: OutageGateSettings) {}

  get state(): GateState {
    return this.current;
  }

  /** When an open gate lets a trial call through. */
  get openUntil(): number {
    return this.until;
  }

  /** Records a failed call; true when the gate opened because of it. */
  recordFailure(accountId: string, error: ConnectorError, now: number): boolean {
    if (!error.retryable) {
      this.recordSuccess(); // the CRM answered, it only refused the data
      return false;
    }
    if (this.current === 'open') return false;
    this.streak += 1;
    this.streakAccounts.add(accountId);
    this.streakAllUnavailable &&= error.kind === 'unavailable';
    const crmWide =
      error.scope === 'destination' ||
      this.current === 'half-open' ||
      (this.streak >= this.settings.threshold &&
        (this.streakAccounts.size >= 2 || this.streakAllUnavailable));
    if (!crmWide) return false;
    this.current = 'open';
    this.until = now + Math.max(error.retryAfterMs ?? 0, this.settings.pauseMs);
    this.resetStreak();
    return true;
  }

  /** Records a call the CRM answered; true when that closed the gate. */
  recordSuccess(): boolean {
    this.resetStreak();
    if (this.current === 'closed') return false;
    this.current = 'closed';
    return true;
  }

  /** Moves an open gate to half-open once its pause is over; true when it did. */
  halfOpenIfDue(now: number): boolean {
    if (this.current !== 'open' || now < this.until) return false;
    this.current = 'half-open';
    return true;
  }

  private resetStreak(): void {
    this.streak = 0;
    this.streakAccounts = new Set();
    this.streakAllUnavailable = true;
  }
}
