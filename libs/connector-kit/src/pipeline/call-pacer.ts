import type { MessagingLogger } from '@lead-delivery/messaging';
import type { CallBudget, Credential } from '../budget/call-budget';
import type { CallLimiter } from '../budget/call-limiter';
import { CredentialBudgets, type BudgetSettings } from '../budget/credential-budgets';
import type { CrmConnector } from '../connector/crm-connector';
import type { ConnectorMetrics } from '../metrics/connector-metrics';
import type { LeadOutcomes, PendingLead } from './pending-lead';

export interface CallPacerOptions {
  connector: Pick<CrmConnector<unknown>, 'credentialOf'>;
  settings: BudgetSettings & { parkDelayMaxMs: number };
  /** Counts each credential's calls; shared by the replicas (PostgreSQL) in the app. */
  limiter: CallLimiter;
  metrics: Pick<ConnectorMetrics, 'dailyBudgetShares' | 'dailyBudgetUsed' | 'budgetWaited'>;
  logger: MessagingLogger;
  recorder: Pick<LeadOutcomes, 'parked'>;
  now: () => number;
}

/**
 * Paces calls through the call budget of each account's credential: a call starts once the budget gave
 * the unit of its first HTTP request, and above the daily throttle share only hot leads go.
 */
export class CallPacer {
  /** The credentials' budgets; the erasure runtime draws on them too, so its answers feed the daily usage. */
  readonly budgets: CredentialBudgets;

  constructor(private readonly options: CallPacerOptions) {
    const { settings, metrics } = options;
    metrics.dailyBudgetShares(settings.dailyAlertShare, settings.dailyThrottleShare);
    this.budgets = new CredentialBudgets({
      limiter: options.limiter,
      settings,
      logger: options.logger,
      onDailyUsage: (credential, usedRatio) => metrics.dailyBudgetUsed(credential, usedRatio),
      onWaited: (credential, waitedMs) => metrics.budgetWaited(credential, waitedMs),
      now: options.now,
    });
  }

  /** The connector's credential of the account; without one, each account is its own. */
  credentialOf(accountId: string): Credential {
    return this.options.connector.credentialOf?.(accountId) ?? { key: `account:${accountId}` };
  }

  /** Until when this replica knows the credential has no call left (undefined: it may have one now). */
  heldUntil(credential: Credential, now: number): number | undefined {
    return this.budgets.heldUntil(credential, now);
  }

  /** Above the daily throttle share of the credential, non-hot leads wait on the retry topic; the others go. */
  deferUnlessHot<Lead extends PendingLead<unknown>>(credential: Credential, leads: Lead[]): Lead[] {
    if (this.budgets.dailyState(credential) !== 'throttle') return leads;
    const { settings, recorder } = this.options;
    return leads.filter((lead) => {
      if (lead.lead.event.enrichment?.tier === 'hot') return true;
      recorder.parked(lead, settings.parkDelayMaxMs, {
        kind: 'daily_budget',
        reason: `the CRM credential ${credential.key} has used ${Math.round(settings.dailyThrottleShare * 100)} % of its daily limit; only hot leads are delivered until it frees`,
      });
      return false;
    });
  }

  /**
   * Takes the unit of the first request of a call with `leads` if there is one now: `wait` 0 and the units
   * left, else how long until there is one (the leads wait in their queue meanwhile). The call waited for
   * the budget from the first refusal any of its leads met.
   */
  async tryTakeFor(
    credential: Credential,
    leads: PendingLead<unknown>[],
  ): Promise<{ wait: number; remaining: number }> {
    const taken = await this.budgets.tryTake(credential);
    const now = this.options.now();
    let since = now;
    for (const lead of leads) {
      if (taken.wait > 0) lead.budgetRefusedAt ??= now;
      else if (lead.budgetRefusedAt !== undefined) since = Math.min(since, lead.budgetRefusedAt);
    }
    if (taken.wait === 0) {
      for (const lead of leads) lead.budgetRefusedAt = undefined;
      this.options.metrics.budgetWaited(credential.key, now - since);
    }
    return taken;
  }

  /** Waits until the credential has a unit and takes it; rejects once `signal` aborts. */
  acquire(credential: Credential, signal: AbortSignal): Promise<number> {
    return this.budgets.acquire(credential, signal);
  }

  /** The budget the connector sees during one delivery whose first unit is taken (`prepaid` left after it). */
  forCall(credential: Credential, signal: AbortSignal, prepaid: number): CallBudget {
    return this.budgets.forCall(credential, signal, prepaid);
  }

  /** No replica calls with the credential for `ms` (the CRM answered 429 with a Retry-After). */
  block(credential: Credential, ms: number): void {
    this.budgets.block(credential, ms);
  }
}
