import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { ConnectorError } from '../connector/connector.error';
import type { CircuitStateName } from '../metrics/connector-metrics';

export interface BreakerSettings {
  threshold: number;
  halfOpenMs: number;
}

const STATE_NAMES: Partial<Record<CircuitState, CircuitStateName>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
};

/**
 * One cockatiel circuit breaker per account of this destination: `threshold` consecutive failed calls
 * (rejections of the data do not count) open it; while open the account's records go to the retry topic
 * without a call; after `halfOpenMs` one trial call decides.
 */
export class AccountBreakers {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly openedAt = new Map<string, number>();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly onStateChange: (accountId: string, state: CircuitStateName) => void,
  ) {}

  /** When the account's open breaker lets a trial call through; undefined when calls may go now. */
  openUntil(accountId: string, now: number): number | undefined {
    const openedAt = this.openedAt.get(accountId);
    if (openedAt === undefined) return undefined;
    const until = openedAt + this.settings.halfOpenMs;
    return until > now ? until : undefined;
  }

  /** Runs a call through the account's breaker; throws cockatiel's BrokenCircuitError while it is open. */
  execute<T>(accountId: string, call: () => Promise<T>): Promise<T> {
    return this.breaker(accountId).execute(call);
  }

  private breaker(accountId: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(accountId);
    if (!breaker) {
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof ConnectorError && error.retryable),
        { halfOpenAfter: this.settings.halfOpenMs, breaker: new ConsecutiveBreaker(this.settings.threshold) },
      );
      breaker.onBreak(() => this.openedAt.set(accountId, Date.now()));
      breaker.onReset(() => this.openedAt.delete(accountId));
      breaker.onHalfOpen(() => this.openedAt.delete(accountId));
      breaker.onStateChange((state) => {
        const name = STATE_NAMES[state];
        if (name) this.onStateChange(accountId, name);
      });
      this.breakers.set(accountId, breaker);
    }
    return breaker;
  }
}
