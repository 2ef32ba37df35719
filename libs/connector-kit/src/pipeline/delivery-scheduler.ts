import type { MessagingLogger } from '@lead-delivery/messaging';
import type { CallLimiter } from '../budget/call-limiter';
import type { CredentialBudgets } from '../budget/credential-budgets';
import type { DeliverySettings } from '../config/connector-kit.config';
import type { CrmConnector } from '../connector/crm-connector';
import type { ConnectorMetrics } from '../metrics/connector-metrics';
import { AccountCircuits } from './account-circuits';
import { AccountQueues } from './account-queues';
import { BatchDispatcher, type Admission } from './batch-dispatcher';
import { CallFailures } from './call-failures';
import { CallPacer } from './call-pacer';
import { CrmCalls } from './crm-calls';
import { drainWithin } from './graceful-drain';
import { OutageControl, type ConsumptionControl } from './outage-control';
import type { OutcomeRecorder } from './outcome-recorder';
import type { PendingLead } from './pending-lead';
import { RecordIsolation } from './record-isolation';
import { RetryBackoff } from './retry-backoff';

export type { ConsumptionControl } from './outage-control';
export type { PendingLead } from './pending-lead';

/** Which calls may start in each state of the outage gate. */
const CALLS_ALLOWED = { closed: 'all', 'half-open': 'trial', open: 'none' } as const;

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
 * Sends leads to the CRM, wiring the parts that each do one job: the adaptive batcher (BatchDispatcher:
 * per account batches, one call per account (two when pipelined), `maxConcurrentCalls` in all), the call
 * budget (CallPacer), the account breakers (AccountCircuits) and the CRM-wide outage gate (OutageControl),
 * the call itself (CrmCalls), what a failure means for each lead (CallFailures), the halving of a call that
 * fails on a record's own data (RecordIsolation), and the shutdown grace (drainWithin). Every outcome goes
 * to the recorder.
 */
export class DeliveryScheduler<Mapped> {
  private readonly queues: AccountQueues<PendingLead<Mapped>>;
  private readonly pacer: CallPacer;
  private readonly circuits: AccountCircuits;
  private readonly outage: OutageControl;
  private readonly dispatcher: BatchDispatcher<PendingLead<Mapped>>;
  private readonly calls: CrmCalls<Mapped>;
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions<Mapped>) {
    const { connector, settings, recorder, metrics, logger } = options;
    const now = (this.now = options.now ?? Date.now);
    const destination = connector.destination;
    const stopped = () => this.stopped;
    const resend = (accountId: string, leads: PendingLead<Mapped>[]) =>
      this.callWhenAllowed(accountId, leads);
    this.queues = new AccountQueues(settings.maxBatchSize);
    this.pacer = new CallPacer({
      connector,
      settings,
      limiter: options.limiter,
      metrics,
      logger,
      recorder,
      now,
    });
    this.circuits = new AccountCircuits({ settings, destination, metrics, logger, recorder });
    this.outage = new OutageControl({
      settings,
      destination,
      consumption: options.consumption,
      metrics,
      logger,
      onTrial: () => this.dispatcher.wake(),
      now,
    });
    this.dispatcher = new BatchDispatcher({
      queues: this.queues,
      maxConcurrentCalls: settings.maxConcurrentCalls,
      allowed: () => CALLS_ALLOWED[this.outage.state],
      admit: (accountId, at) => this.admit(accountId, at),
      keyOf: (lead) => lead.lead.leadId,
      send: (accountId, leads, release) =>
        this.callWithinBudget(accountId, leads, connector.limits.pipelined ? release : undefined),
      logger,
      now,
    });
    const backoff = new RetryBackoff(settings);
    this.calls = new CrmCalls({
      connector,
      metrics,
      recorder,
      pacer: this.pacer,
      circuits: this.circuits,
      outage: this.outage,
      backoff,
      failures: new CallFailures({
        settings,
        recorder,
        metrics,
        queues: this.queues,
        outage: this.outage,
        circuits: this.circuits,
        backoff,
        resend,
        wake: () => this.dispatcher.wake(),
        stopped,
        now,
      }),
      isolation: new RecordIsolation({
        recordMaxAttempts: settings.recordMaxAttempts,
        recorder,
        resend,
        delayMs: (faults) => backoff.delayOf(faults),
        stopped,
      }),
      signal: this.abort.signal,
      now,
    });
  }

  /** True while consumption is paused because the whole CRM is throttling or down. */
  get paused(): boolean {
    return this.outage.state === 'open';
  }

  /** The call budgets of the connector's credentials, whose daily usage decides which leads wait. */
  get budgets(): CredentialBudgets {
    return this.pacer.budgets;
  }

  /** True from the moment the whole CRM is taken for down until a call succeeds again (trials included). */
  get crmDown(): boolean {
    return this.outage.state !== 'closed';
  }

  submit(lead: PendingLead<Mapped>): void {
    if (this.stopped) return;
    const { accountId } = lead.lead;
    const now = this.now();
    const openUntil = this.circuits.openUntil(accountId, now);
    if (openUntil !== undefined) return this.circuits.park(accountId, [lead], openUntil, now);
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
    this.dispatcher.wake();
  }

  /**
   * Stops sending: queued leads are dropped unsettled (redelivered after restart); calls in flight get
   * `graceMs` to finish and have their outcomes written, then are aborted.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.dispatcher.stop();
    this.outage.stop();
    this.queues.drain();
    const { recorder, logger, connector } = this.options;
    await drainWithin(graceMs, {
      calls: () => this.dispatcher.drained(),
      outcomes: () => recorder.idle(),
      inFlight: () => this.dispatcher.inFlight,
      abandon: () => {
        this.abort.abort();
        recorder.abandon();
      },
      logger,
      destination: connector.destination,
    });
  }

  /** An account whose breaker is open has its leads parked; one whose credential has no call left waits. */
  private admit(accountId: string, now: number): Admission {
    const openUntil = this.circuits.openUntil(accountId, now);
    if (openUntil !== undefined) {
      this.circuits.park(accountId, this.queues.drain(accountId), openUntil, now);
      return { kind: 'skip' };
    }
    const heldUntil = this.pacer.heldUntil(this.pacer.credentialOf(accountId), now);
    return heldUntil === undefined ? { kind: 'go' } : { kind: 'wait', until: heldUntil };
  }

  /**
   * Takes the unit of the call's first HTTP request, or puts the leads back when the credential has none
   * (the account then waits until the budget frees; the next dispatch sees it held). Above the daily
   * throttle share, only the hot leads go. `releaseAccount`: a pipelined delivery's signal that the account's
   * next one may start.
   */
  private async callWithinBudget(
    accountId: string,
    leads: PendingLead<Mapped>[],
    releaseAccount?: () => void,
  ): Promise<void> {
    const credential = this.pacer.credentialOf(accountId);
    const sending = this.pacer.deferUnlessHot(credential, leads);
    if (sending.length === 0) return;
    const { wait, remaining } = await this.pacer.tryTakeFor(credential, sending);
    if (this.stopped) return; // unsettled: redelivered after restart
    if (wait > 0) {
      this.queues.requeue(accountId, sending, this.now());
      return;
    }
    await this.calls.run(accountId, credential, sending, remaining, releaseAccount);
  }

  /** Calls again with some of a failed call's leads once the credential's budget allows it. */
  private async callWhenAllowed(accountId: string, leads: PendingLead<Mapped>[]): Promise<void> {
    const credential = this.pacer.credentialOf(accountId);
    let remaining: number;
    try {
      remaining = await this.pacer.acquire(credential, this.abort.signal);
    } catch {
      return; // abandoned at shutdown: unsettled, redelivered after restart
    }
    if (!this.stopped) await this.calls.run(accountId, credential, leads, remaining);
  }
}
