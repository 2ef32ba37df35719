import type { MessagingLogger } from '@lead-delivery/messaging';
import type { ConnectorMetrics } from '../metrics/connector-metrics';
import { AccountBreakers } from './account-breakers';
import type { LeadOutcomes, PendingLead } from './pending-lead';

export interface AccountCircuitsOptions {
  settings: { breakerThreshold: number; breakerHalfOpenMs: number };
  destination: string;
  metrics: Pick<ConnectorMetrics, 'circuitChanged'>;
  logger: MessagingLogger;
  recorder: Pick<LeadOutcomes, 'parked'>;
}

/**
 * The accounts' circuit breakers as the scheduler uses them: calls run through them, their state changes
 * are counted and logged, and the leads of an account whose breaker is open go to the retry topic until
 * the trial call.
 */
export class AccountCircuits {
  private readonly breakers: AccountBreakers;

  constructor(private readonly options: AccountCircuitsOptions) {
    const { settings, metrics, logger, destination } = options;
    this.breakers = new AccountBreakers(
      { threshold: settings.breakerThreshold, halfOpenMs: settings.breakerHalfOpenMs },
      (accountId, state) => {
        metrics.circuitChanged(accountId, state);
        if (state !== 'half-open') logger.warn({ destination, accountId, state }, 'account circuit');
      },
    );
  }

  /** When the account's open breaker lets a trial call through; undefined when calls may go now. */
  openUntil(accountId: string, now: number): number | undefined {
    return this.breakers.openUntil(accountId, now);
  }

  /** Runs a call through the account's breakers; throws cockatiel's BrokenCircuitError while one is open. */
  execute<T>(accountId: string, call: () => Promise<T>): Promise<T> {
    return this.breakers.execute(accountId, call);
  }

  /** Parks the leads of an account whose breaker is open until it lets a trial call through. */
  park(accountId: string, leads: PendingLead<unknown>[], openUntil: number, now: number): void {
    for (const lead of leads) {
      this.options.recorder.parked(lead, openUntil - now, {
        kind: 'circuit_open',
        reason: `the circuit breaker of account ${accountId} is open`,
      });
    }
  }
}
