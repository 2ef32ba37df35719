import {
  CircuitState,
  ConsecutiveBreaker,
  SamplingBreaker,
  circuitBreaker,
  handleWhen,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { ConnectorError } from '../connector/connector.error';
import type { CircuitStateName } from '../metrics/connector-metrics';

export interface BreakerSettings {
  threshold: number;
  halfOpenMs: number;
}

/** Over how long transient failures are sampled. */
export const TRANSIENT_SAMPLE_MS = 30_000;
/** Share of failed calls (strictly above) that opens the breaker on transient failures: all of them, in practice. */
const TRANSIENT_FAILURE_SHARE = 0.99;

const STATE_NAMES: Partial<Record<CircuitState, CircuitStateName>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
};

const isAuth = (error: unknown) => error instanceof ConnectorError && error.kind === 'auth';
const isTransient = (error: unknown) =>
  error instanceof ConnectorError && error.retryable && error.kind !== 'auth';

/**
 * Two cockatiel circuit breakers per account of this destination; while either is open the account's
 * records go to the retry topic without a call, and after `halfOpenMs` one trial call decides.
 * - Credentials refused (`auth`): `threshold` consecutive calls open it; no retry can succeed before an
 *   operator acts.
 * - Transient failures (429, 503, timeouts): at a 20 % fault rate per HTTP call, several deliveries fail
 *   in a row by chance, so a count of consecutive failures would open the breaker of a healthy account.
 *   These slow the account down instead (the scheduler holds it with a growing backoff), and open it only
 *   when every call of at least 2 × `threshold` in TRANSIENT_SAMPLE_MS failed: the account is really down.
 * Rejections of the data count for neither.
 */
export class AccountBreakers {
  private readonly policies = new Map<string, IPolicy>();
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

  /** Runs a call through the account's breakers; throws cockatiel's BrokenCircuitError while one is open. */
  execute<T>(accountId: string, call: () => Promise<T>): Promise<T> {
    return this.policy(accountId).execute(call);
  }

  private policy(accountId: string): IPolicy {
    let policy = this.policies.get(accountId);
    if (!policy) {
      const { threshold, halfOpenMs } = this.settings;
      const auth = circuitBreaker(handleWhen(isAuth), {
        halfOpenAfter: halfOpenMs,
        breaker: new ConsecutiveBreaker(threshold),
      });
      const transient = circuitBreaker(handleWhen(isTransient), {
        halfOpenAfter: halfOpenMs,
        breaker: new SamplingBreaker({
          threshold: TRANSIENT_FAILURE_SHARE,
          duration: TRANSIENT_SAMPLE_MS,
          minimumRps: (2 * threshold * 1000) / TRANSIENT_SAMPLE_MS,
        }),
      });
      this.watch(accountId, auth);
      this.watch(accountId, transient);
      policy = wrap(auth, transient);
      this.policies.set(accountId, policy);
    }
    return policy;
  }

  private watch(accountId: string, breaker: CircuitBreakerPolicy): void {
    breaker.onBreak(() => this.openedAt.set(accountId, Date.now()));
    breaker.onReset(() => this.openedAt.delete(accountId));
    breaker.onHalfOpen(() => this.openedAt.delete(accountId));
    breaker.onStateChange((state) => {
      const name = STATE_NAMES[state];
      if (name) this.onStateChange(accountId, name);
    });
  }
}
