import type { MessagingLogger } from '@lead-delivery/messaging';
import { BrokenCircuitError, ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { CallBudget, Credential } from '../budget/call-budget';
import type { CallLimiter } from '../budget/call-limiter';
import { CredentialBudgets } from '../budget/credential-budgets';
import type { DeliverySettings } from '../config/connector-kit.config';
import { ConnectorError } from '../connector/connector.error';
import type { CrmConnector, RecordOutcome } from '../connector/crm-connector';
import { WHOLE_CRM, type ConnectorMetrics } from '../metrics/connector-metrics';
import { AccountBreakers } from './account-breakers';
import { AccountQueues } from './account-queues';
import { traceCrmCall } from './crm-call-span';
import { OutageGate } from './outage-gate';
import type { OutcomeRecorder, TrackedLead } from './outcome-recorder';
import { RecordFault, recordFaultOf } from './record-fault';
import { decideRetry } from './retry-policy';

export interface PendingLead<Mapped> extends TrackedLead {
  mapped: Mapped;
  /** Retries spent in memory by this process. */
  inlineRetries: number;
}

/** How the scheduler tells the consumer to stop and restart fetching on a CRM-wide outage. */
export interface ConsumptionControl {
  pause(): void;
  resume(): void;
}

export interface SchedulerOptions<Mapped> {
  connector: CrmConnector<Mapped>;
  settings: DeliverySettings;
  recorder: OutcomeRecorder;
  metrics: ConnectorMetrics;
  logger: MessagingLogger;
  consumption: ConsumptionControl;
  /** Counts each credential's calls; shared by the replicas (PostgreSQL) in the app. */
  limiter: CallLimiter;
  now?: () => number;
}

/**
 * Sends leads to the CRM: adaptive per account batches (a lead leaves at once when its account has no call
 * in flight; those arriving during a call leave together when it returns), at most one call per account and
 * `maxConcurrentCalls` in all. A call starts only once its credential's budget gave the unit of its first
 * HTTP request, so an account whose portal or org is out of calls waits without taking a slot; above the
 * daily throttle share only hot leads leave, the others are parked. It decides what a failure means for each lead
 * (retry in memory, park on the retry topic, dead-letter) and hands every outcome to the recorder.
 * A call that fails in our own code on a record's data (a RecordFault) is halved until that record is
 * alone, so the others are delivered; that record gets `recordMaxAttempts` calls alone, then the DLQ.
 */
export class DeliveryScheduler<Mapped> {
  private readonly queues: AccountQueues<PendingLead<Mapped>>;
  private readonly budgets: CredentialBudgets;
  private readonly breakers: AccountBreakers;
  private readonly gate: OutageGate;
  private readonly backoff: ExponentialBackoff<unknown>;
  private readonly busy = new Set<string>();
  private readonly backoffs = new Map<string, IBackoff<unknown>>();
  /** Calls that failed on a lead of its own while it was alone in them (see isolate). */
  private readonly recordFaults = new WeakMap<PendingLead<Mapped>, number>();
  private readonly calls = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private gateTimer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions<Mapped>) {
    const { settings, metrics } = options;
    this.now = options.now ?? Date.now;
    this.queues = new AccountQueues(settings.maxBatchSize);
    metrics.dailyBudgetShares(settings.dailyAlertShare, settings.dailyThrottleShare);
    this.budgets = new CredentialBudgets({
      limiter: options.limiter,
      settings,
      logger: options.logger,
      onDailyUsage: (credential, usedRatio) => metrics.dailyBudgetUsed(credential, usedRatio),
      now: this.now,
    });
    this.breakers = new AccountBreakers(
      { threshold: settings.breakerThreshold, halfOpenMs: settings.breakerHalfOpenMs },
      (accountId, state) => {
        metrics.circuitChanged(accountId, state);
        if (state !== 'half-open') {
          options.logger.warn(
            { destination: options.connector.destination, accountId, state },
            'account circuit',
          );
        }
      },
    );
    this.gate = new OutageGate({ threshold: settings.outageThreshold, pauseMs: settings.outagePauseMs });
    this.backoff = new ExponentialBackoff({
      initialDelay: settings.backoffInitialMs,
      maxDelay: settings.backoffMaxMs,
    });
  }

  /** True while consumption is paused because the whole CRM is throttling or down. */
  get paused(): boolean {
    return this.gate.state === 'open';
  }

  /** True from the moment the whole CRM is taken for down until a call succeeds again (trials included). */
  get crmDown(): boolean {
    return this.gate.state !== 'closed';
  }

  submit(lead: PendingLead<Mapped>): void {
    if (this.stopped) return;
    const { accountId } = lead.lead;
    const now = this.now();
    const openUntil = this.breakers.openUntil(accountId, now);
    if (openUntil !== undefined) return this.parkForBreaker(accountId, [lead], openUntil, now);
    const heldUntil = this.queues.heldUntil(accountId, now);
    const { maxBatchSize, inlineMaxDelayMs } = this.options.settings;
    if (
      heldUntil !== undefined &&
      heldUntil - now > inlineMaxDelayMs &&
      this.queues.size(accountId) >= 2 * maxBatchSize
    ) {
      // An account held back for long must not fill memory (and so stop fetching for everyone): the excess
      // waits on the retry topic. A short hold (a Retry-After of a second) keeps its leads: the in-flight
      // limit bounds memory, and a round trip through the retry topic would cost more than the wait.
      return this.options.recorder.parked(lead, heldUntil - now, {
        kind: 'rate_limited',
        reason: `account ${accountId} is held back by the CRM`,
      });
    }
    this.queues.add(accountId, lead, now);
    this.schedulePump();
  }

  /**
   * Stops sending: queued leads are dropped unsettled (redelivered after restart); calls in flight get
   * `graceMs` to finish and have their outcomes written, then are aborted.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.gateTimer);
    this.queues.drain();
    const finished = (async () => {
      while (this.calls.size > 0) await Promise.allSettled([...this.calls]);
      await this.options.recorder.idle();
      return true;
    })();
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (deadline = setTimeout(() => resolve(false), graceMs)));
    const done = await Promise.race([finished, timedOut]);
    clearTimeout(deadline);
    if (!done) {
      this.options.logger.warn(
        { destination: this.options.connector.destination, calls: this.calls.size },
        'shutdown grace period over; abandoning calls in flight (their leads will be redelivered)',
      );
      this.abort.abort();
      this.options.recorder.abandon();
    }
  }

  private schedulePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopped) return;
    if (this.gate.state === 'open') return; // the gate's timer pumps again for the trial call
    const now = this.now();
    const isBusy = (accountId: string) => this.busy.has(accountId);
    // Accounts whose credential has no call left now: they wait for it without taking a slot.
    const outOfBudget = new Set<string>();
    let budgetAt: number | undefined;
    for (const accountId of this.queues.due(now, isBusy)) {
      const trialInFlight = this.gate.state === 'half-open' && this.busy.size > 0;
      if (trialInFlight || this.busy.size >= this.options.settings.maxConcurrentCalls) {
        this.wakeAt(undefined); // the end of a call pumps again
        return;
      }
      const openUntil = this.breakers.openUntil(accountId, now);
      if (openUntil !== undefined) {
        this.parkForBreaker(accountId, this.queues.drain(accountId), openUntil, now);
        continue;
      }
      const credential = this.credentialOf(accountId);
      const heldUntil = this.budgets.heldUntil(credential, now);
      if (heldUntil !== undefined) {
        outOfBudget.add(accountId);
        budgetAt = Math.min(budgetAt ?? heldUntil, heldUntil);
        continue;
      }
      this.startCall(accountId, credential, this.queues.take(accountId, now));
    }
    const dueAt = this.queues.nextDueAt(now, (accountId) => isBusy(accountId) || outOfBudget.has(accountId));
    this.wakeAt(budgetAt === undefined ? dueAt : Math.min(budgetAt, dueAt ?? budgetAt));
  }

  private wakeAt(at: number | undefined): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (at === undefined || this.stopped) return;
    this.timer = setTimeout(() => this.pump(), Math.max(0, at - this.now()));
  }

  private startCall(accountId: string, credential: Credential, leads: PendingLead<Mapped>[]): void {
    if (leads.length === 0) return;
    this.busy.add(accountId);
    const call = this.callWithinBudget(accountId, credential, leads)
      .catch((error: unknown) =>
        this.options.logger.error({ err: error, accountId }, 'delivery call failed unexpectedly'),
      )
      .finally(() => {
        this.busy.delete(accountId);
        this.calls.delete(call);
        this.schedulePump();
      });
    this.calls.add(call);
  }

  /**
   * Takes the unit of the call's first HTTP request, or puts the leads back when the credential has none
   * (the account then waits until the budget frees; the next pump sees it held). Above the daily throttle
   * share, only the hot leads go.
   */
  private async callWithinBudget(
    accountId: string,
    credential: Credential,
    leads: PendingLead<Mapped>[],
  ): Promise<void> {
    const sending = this.deferUnlessHot(credential, leads);
    if (sending.length === 0) return;
    const { wait, remaining } = await this.budgets.tryTake(credential);
    if (this.stopped) return; // unsettled: redelivered after restart
    if (wait > 0) {
      this.queues.requeue(accountId, sending, this.now());
      return;
    }
    await this.call(accountId, credential, sending, remaining);
  }

  /** Above the daily throttle share of the credential, non-hot leads wait on the retry topic. */
  private deferUnlessHot(credential: Credential, leads: PendingLead<Mapped>[]): PendingLead<Mapped>[] {
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

  /** One delivery; `prepaid`: the unit of its first HTTP request is taken (the units left after it). */
  private async call(
    accountId: string,
    credential: Credential,
    leads: PendingLead<Mapped>[],
    prepaid: number,
  ): Promise<void> {
    const { connector, metrics } = this.options;
    const startedAt = this.now();
    let outcomes: RecordOutcome[];
    try {
      outcomes = await this.breakers.execute(accountId, () =>
        traceCrmCall(connector.destination, accountId, leads, () =>
          this.deliver(accountId, leads, this.budgets.forCall(credential, this.abort.signal, prepaid)),
        ),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        const now = this.now();
        this.parkForBreaker(accountId, leads, this.breakers.openUntil(accountId, now) ?? now, now);
        return;
      }
      if (error instanceof RecordFault) {
        metrics.callCompleted('record_fault', leads.length, this.now() - startedAt);
        await this.isolate(accountId, leads, error);
        return;
      }
      const failure = error instanceof ConnectorError ? error : this.classify(error);
      metrics.callCompleted(failure.kind, leads.length, this.now() - startedAt);
      if (failure.kind === 'rate_limited' && failure.retryAfterMs !== undefined) {
        this.budgets.block(credential, failure.retryAfterMs); // every replica waits, not only this account
      }
      await this.callFailed(accountId, leads, failure);
      return;
    }

    const failures = outcomes.filter((outcome) => !outcome.ok).length;
    metrics.callCompleted(failures === 0 ? 'ok' : 'partial', leads.length, this.now() - startedAt);
    this.backoffs.delete(accountId);
    this.gateAnswered();
    outcomes.forEach((outcome, index) => {
      const lead = leads[index] as PendingLead<Mapped>;
      if (outcome.ok) this.options.recorder.delivered(lead, outcome.crmRecordId);
      else
        this.recordFailed(
          accountId,
          lead,
          outcome.error instanceof ConnectorError ? outcome.error : this.classify(outcome.error),
        );
    });
  }

  /** One CRM call: an outcome per lead, in order, or a ConnectorError for the call as a whole. */
  private async deliver(
    accountId: string,
    leads: PendingLead<Mapped>[],
    budget: CallBudget,
  ): Promise<RecordOutcome[]> {
    for (const lead of leads) lead.attempts += 1;
    try {
      const records = leads.map((lead) => ({
        key: lead.lead.leadId,
        record: lead.mapped,
        event: lead.lead.event,
        attempt: lead.attempts,
      }));
      const result = await this.options.connector.deliver(
        { accountId, records },
        { signal: this.abort.signal, budget },
      );
      if (!Array.isArray(result) || result.length !== leads.length) {
        throw new ConnectorError(
          'transient',
          `connector returned ${Array.isArray(result) ? result.length : 'no'} outcomes for ${leads.length} records`,
        );
      }
      return result;
    } catch (error) {
      throw recordFaultOf(error) ?? this.classify(error);
    }
  }

  /**
   * A call failed on the data of one of its leads, in our own code, not in the CRM (so neither the
   * breakers nor the outage gate count it): halve the call until that lead is alone, then try it alone
   * a few times (the failure may yet pass) before dead-lettering it.
   */
  private async isolate(accountId: string, leads: PendingLead<Mapped>[], fault: RecordFault): Promise<void> {
    if (this.stopped) return; // unsettled: redelivered after restart
    if (leads.length > 1) {
      const half = Math.ceil(leads.length / 2);
      await this.callWhenAllowed(accountId, leads.slice(0, half));
      await this.callWhenAllowed(accountId, leads.slice(half));
      return;
    }
    const lead = leads[0] as PendingLead<Mapped>;
    const faults = (this.recordFaults.get(lead) ?? 0) + 1;
    this.recordFaults.set(lead, faults);
    if (faults >= this.options.settings.recordMaxAttempts) {
      this.options.recorder.deadLettered(lead, 'record_failed', fault.reason);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, this.backoffMs(faults)));
    await this.callWhenAllowed(accountId, [lead]);
  }

  private async callFailed(
    accountId: string,
    leads: PendingLead<Mapped>[],
    failure: ConnectorError,
  ): Promise<void> {
    if (this.stopped) return; // unsettled: redelivered after restart
    const { recorder, settings } = this.options;
    if (!failure.retryable) {
      this.gateAnswered();
      if (leads.length === 1) {
        recorder.deadLettered(leads[0] as PendingLead<Mapped>, 'rejected_by_crm', failure.message);
        return;
      }
      // The CRM refused the call as a whole: halve it until the offending records are alone.
      const half = Math.ceil(leads.length / 2);
      await this.callWhenAllowed(accountId, leads.slice(0, half));
      await this.callWhenAllowed(accountId, leads.slice(half));
      return;
    }

    const now = this.now();
    if (this.gate.recordFailure(accountId, failure, now)) this.gateOpened(failure, now);
    if (this.gate.state === 'open') {
      this.waitForTrial(accountId, leads);
      return;
    }
    const openUntil = this.breakers.openUntil(accountId, now);
    const previous = this.backoffs.get(accountId);
    const backoff = previous ? previous.next(undefined) : this.backoff.next();
    this.backoffs.set(accountId, backoff);

    const retry: PendingLead<Mapped>[] = [];
    let holdMs = 0;
    for (const lead of leads) {
      const decision = decideRetry(
        { error: failure, attempts: lead.attempts, inlineRetries: lead.inlineRetries },
        backoff.duration,
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
    else if (failure.retryAfterMs !== undefined) this.queues.hold(accountId, now + failure.retryAfterMs);
    if (openUntil !== undefined) {
      this.parkForBreaker(accountId, this.queues.drain(accountId), openUntil, now);
    }
  }

  private recordFailed(accountId: string, lead: PendingLead<Mapped>, error: ConnectorError): void {
    const { recorder, settings } = this.options;
    if (this.stopped && error.retryable) return;
    const decision = decideRetry(
      { error, attempts: lead.attempts, inlineRetries: lead.inlineRetries },
      this.backoffMs(lead.inlineRetries + 1),
      settings,
    );
    if (decision.action === 'dead-letter') recorder.deadLettered(lead, decision.kind, decision.reason);
    else if (decision.action === 'park')
      recorder.parked(lead, decision.delayMs, { kind: error.kind, reason: error.message });
    else this.retryLater(accountId, [lead], decision.delayMs, this.now(), error.kind === 'rate_limited');
  }

  private retryLater(
    accountId: string,
    leads: PendingLead<Mapped>[],
    delayMs: number,
    now: number,
    holdAccount: boolean,
  ): void {
    for (const lead of leads) lead.inlineRetries += 1;
    this.options.metrics.retried('inline', leads.length);
    this.queues.requeue(accountId, leads, now + delayMs);
    if (holdAccount) this.queues.hold(accountId, now + delayMs);
    this.schedulePump();
  }

  private async callWhenAllowed(accountId: string, leads: PendingLead<Mapped>[]): Promise<void> {
    const credential = this.credentialOf(accountId);
    let remaining: number;
    try {
      remaining = await this.budgets.acquire(credential, this.abort.signal);
    } catch {
      return; // abandoned at shutdown: unsettled, redelivered after restart
    }
    if (!this.stopped) await this.call(accountId, credential, leads, remaining);
  }

  /** The connector's credential of the account; without one, each account is its own. */
  private credentialOf(accountId: string): Credential {
    return this.options.connector.credentialOf?.(accountId) ?? { key: `account:${accountId}` };
  }

  private parkForBreaker(
    accountId: string,
    leads: PendingLead<Mapped>[],
    openUntil: number,
    now: number,
  ): void {
    for (const lead of leads) {
      this.options.recorder.parked(lead, openUntil - now, {
        kind: 'circuit_open',
        reason: `the circuit breaker of account ${accountId} is open`,
      });
    }
  }

  /**
   * While the whole CRM is down consumption is paused and the leads in memory wait for the trial call
   * (rather than filling the retry topic), unless they have used up their attempts.
   */
  private waitForTrial(accountId: string, leads: PendingLead<Mapped>[]): void {
    const { recorder, settings } = this.options;
    const waiting = leads.filter((lead) => {
      if (lead.attempts < settings.maxAttempts) return true;
      recorder.deadLettered(
        lead,
        'retries_exhausted',
        `gave up after ${lead.attempts} attempts; the CRM is down`,
      );
      return false;
    });
    this.queues.requeue(accountId, waiting, this.gate.openUntil);
  }

  private gateOpened(failure: ConnectorError, now: number): void {
    const { consumption, metrics, logger, connector } = this.options;
    consumption.pause();
    metrics.consumptionPaused(true);
    metrics.circuitChanged(WHOLE_CRM, 'open');
    logger.warn(
      { destination: connector.destination, kind: failure.kind, pauseMs: this.gate.openUntil - now },
      'the whole CRM is throttling or down: consumption paused',
    );
    clearTimeout(this.gateTimer);
    this.gateTimer = setTimeout(() => this.gateTrial(), Math.max(0, this.gate.openUntil - now));
  }

  private gateTrial(): void {
    if (this.stopped || this.gate.state !== 'open') return;
    if (!this.gate.halfOpenIfDue(this.now())) {
      // Timers run on a monotonic clock and may fire a millisecond before the wall clock says so.
      this.gateTimer = setTimeout(() => this.gateTrial(), Math.max(1, this.gate.openUntil - this.now()));
      return;
    }
    this.options.metrics.circuitChanged(WHOLE_CRM, 'half-open');
    this.options.metrics.consumptionPaused(false);
    this.options.consumption.resume();
    this.options.logger.info(
      { destination: this.options.connector.destination },
      'consumption resumed for a trial call',
    );
    this.schedulePump();
  }

  private gateAnswered(): void {
    if (!this.gate.recordSuccess()) return;
    clearTimeout(this.gateTimer);
    this.options.metrics.circuitChanged(WHOLE_CRM, 'closed');
    this.options.metrics.consumptionPaused(false);
    this.options.consumption.resume();
    this.options.logger.info({ destination: this.options.connector.destination }, 'the CRM answers again');
  }

  private classify(error: unknown): ConnectorError {
    if (error instanceof ConnectorError) return error;
    try {
      return this.options.connector.classify(error);
    } catch (classifyError) {
      return new ConnectorError('transient', `unclassified failure: ${(classifyError as Error).message}`, {
        cause: error,
      });
    }
  }

  /** The delay of the `steps`-th consecutive in-memory retry (exponential, decorrelated jitter). */
  private backoffMs(steps: number): number {
    let backoff = this.backoff.next();
    for (let step = 1; step < steps; step += 1) backoff = backoff.next(undefined);
    return backoff.duration;
  }
}
