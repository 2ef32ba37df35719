import type { DeliverySettings } from '../config/connector-kit.config';
import type { ConnectorError } from '../connector/connector.error';
import type { ConnectorMetrics } from '../metrics/connector-metrics';
import type { AccountCircuits } from './account-circuits';
import type { AccountQueues } from './account-queues';
import type { OutageControl } from './outage-control';
import type { LeadOutcomes, PendingLead, Resend } from './pending-lead';
import { inHalves } from './record-isolation';
import { countRefusal, decideRetry, exhaustion } from './retry-policy';
import type { RetryBackoff } from './retry-backoff';

export interface CallFailuresOptions<Mapped> {
  settings: DeliverySettings;
  recorder: LeadOutcomes;
  metrics: Pick<ConnectorMetrics, 'retried'>;
  queues: AccountQueues<PendingLead<Mapped>>;
  outage: Pick<OutageControl, 'state' | 'openUntil' | 'failed' | 'answered'>;
  circuits: Pick<AccountCircuits, 'openUntil' | 'park'>;
  backoff: Pick<RetryBackoff, 'nextFor' | 'delayOf'>;
  resend: Resend<Mapped>;
  /** Records were put back in the queues: look for due accounts. */
  wake(): void;
  stopped(): boolean;
  now: () => number;
}

/**
 * Decides what a failure the CRM gave means for each lead: retry in memory (the account held back with a
 * growing backoff or the CRM's Retry-After), park on the retry topic, wait for the outage gate's trial
 * call, or dead-letter; a call the CRM refused as a whole is halved until the offending leads are alone.
 */
export class CallFailures<Mapped> {
  constructor(private readonly options: CallFailuresOptions<Mapped>) {}

  /** The call failed as a whole. */
  async callFailed(accountId: string, leads: PendingLead<Mapped>[], failure: ConnectorError): Promise<void> {
    const { recorder, settings, outage, circuits, queues, backoff, resend, now: clock } = this.options;
    if (this.options.stopped()) return; // unsettled: redelivered after restart
    if (!failure.retryable) {
      outage.answered();
      if (leads.length === 1) {
        recorder.deadLettered(leads[0] as PendingLead<Mapped>, 'rejected_by_crm', failure.message);
        return;
      }
      // The CRM refused the call as a whole: halve it until the offending records are alone.
      const [first, second] = inHalves(leads);
      await resend(accountId, first);
      await resend(accountId, second);
      return;
    }

    for (const lead of leads) countRefusal(lead, failure);
    const now = clock();
    outage.failed(accountId, failure, now);
    if (outage.state === 'open') {
      this.waitForTrial(accountId, leads);
      return;
    }
    const openUntil = circuits.openUntil(accountId, now);
    // A Retry-After names the wait itself: it does not grow the account's backoff, so a 503 after a 429
    // waits the first backoff step again, not a later one.
    const backoffMs = failure.retryAfterMs === undefined ? backoff.nextFor(accountId) : 0;

    const retry: PendingLead<Mapped>[] = [];
    let holdMs = 0;
    for (const lead of leads) {
      const decision = decideRetry(
        {
          error: failure,
          attempts: lead.attempts,
          refusedCalls: lead.refusedCalls,
          inlineRetries: lead.inlineRetries,
        },
        backoffMs,
        settings,
      );
      if (decision.action === 'dead-letter') recorder.deadLettered(lead, decision.kind, decision.reason);
      else if (decision.action === 'retry' && openUntil === undefined) {
        retry.push(lead);
        holdMs = Math.max(holdMs, decision.delayMs);
      } else {
        const delayMs = Math.max(decision.delayMs, (openUntil ?? now) - now);
        recorder.parked(lead, delayMs, { kind: failure.kind, reason: failure.message });
      }
    }
    if (retry.length > 0) this.retryLater(accountId, retry, holdMs, now, true);
    // Even when every lead of the call was parked, the account waits out the CRM's Retry-After.
    else if (failure.retryAfterMs !== undefined) queues.hold(accountId, now + failure.retryAfterMs);
    if (openUntil !== undefined) circuits.park(accountId, queues.drain(accountId), openUntil, now);
  }

  /** The CRM answered the call but failed one of its records. */
  recordFailed(accountId: string, lead: PendingLead<Mapped>, error: ConnectorError): void {
    const { recorder, settings, backoff } = this.options;
    if (this.options.stopped() && error.retryable) return;
    countRefusal(lead, error);
    const decision = decideRetry(
      { error, attempts: lead.attempts, refusedCalls: lead.refusedCalls, inlineRetries: lead.inlineRetries },
      backoff.delayOf(lead.inlineRetries + 1),
      settings,
    );
    if (decision.action === 'dead-letter') recorder.deadLettered(lead, decision.kind, decision.reason);
    else if (decision.action === 'park')
      recorder.parked(lead, decision.delayMs, { kind: error.kind, reason: error.message });
    else
      this.retryLater(accountId, [lead], decision.delayMs, this.options.now(), error.kind === 'rate_limited');
  }

  private retryLater(
    accountId: string,
    leads: PendingLead<Mapped>[],
    delayMs: number,
    now: number,
    holdAccount: boolean,
  ): void {
    const { queues, metrics } = this.options;
    for (const lead of leads) lead.inlineRetries += 1;
    metrics.retried('inline', leads.length);
    queues.requeue(accountId, leads, now + delayMs);
    if (holdAccount) queues.hold(accountId, now + delayMs);
    this.options.wake();
  }

  /**
   * While the whole CRM is down consumption is paused and the leads in memory wait for the trial call
   * (rather than filling the retry topic), unless they have used up their attempts.
   */
  private waitForTrial(accountId: string, leads: PendingLead<Mapped>[]): void {
    const { recorder, settings, queues, outage } = this.options;
    const waiting = leads.filter((lead) => {
      const exhausted = exhaustion(lead, settings);
      if (exhausted === undefined) return true;
      recorder.deadLettered(lead, 'retries_exhausted', `${exhausted}; the CRM is down`);
      return false;
    });
    queues.requeue(accountId, waiting, outage.openUntil);
  }
}
