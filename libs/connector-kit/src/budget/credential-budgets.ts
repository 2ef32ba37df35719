import type { CallBudget, Credential, RateLimitReport } from './call-budget';
import type { CallLimiter } from './call-limiter';
import { planWindows, type WindowPlan } from './window-plan';

export interface BudgetSettings {
  /** Calls per window of a credential when neither its account nor the CRM's headers say otherwise. */
  callsPerWindow: number;
  callWindowMs: number;
  /** Share of the daily limit above which the usage is worth an alert. */
  dailyAlertShare: number;
  /** Share of the daily limit above which only hot leads are delivered. */
  dailyThrottleShare: number;
}

export type DailyBudgetState = 'ok' | 'alert' | 'throttle';

/**
 * Longest single sleep of `acquire`: it asks the shared limiter again after it. A hold from a far-off
 * Retry-After (an HTTP date) would overflow Node's timers (over 2^31 - 1 ms they fire at once), and
 * `acquire` would then ask PostgreSQL in a busy loop.
 */
const MAX_SLEEP_MS = 60_000;

interface BudgetLogger {
  warn(context: object, message: string): void;
}

export interface CredentialBudgetsOptions {
  limiter: CallLimiter;
  settings: BudgetSettings;
  logger: BudgetLogger;
  /** The share of its daily limit a credential has used, whenever a CRM answer tells it. */
  onDailyUsage(credentialKey: string, usedRatio: number): void;
  /** How long `acquire` waited for a unit of the credential (0 when one was free). */
  onWaited?(credentialKey: string, waitedMs: number): void;
  now?: () => number;
}

interface CredentialState {
  plan: WindowPlan;
  /** The CRM's window, once its headers told it. */
  crmWindow?: { max: number; intervalMs: number };
  /** No unit before this (what this replica last heard from the shared limiter). */
  heldUntil: number;
  /** No call before this: the CRM's Retry-After, as this replica had it. */
  blockedUntil: number;
  daily: DailyBudgetState;
}

/**
 * The call budgets of a connector's credentials (HubSpot portal tokens, Salesforce orgs), counted in HTTP
 * calls in a limiter every replica shares. A credential's window is the smallest of its account's
 * override, the CRM's headers and the connector's default, split into fixed windows that keep the CRM's
 * rolling limit (planWindows). When the CRM says fewer calls remain than the limiter counted (another
 * integration calls with the same token), the difference is spent in the shared window at once. The daily
 * usage comes from the headers too.
 */
export class CredentialBudgets {
  private readonly states = new Map<string, CredentialState>();
  private readonly now: () => number;

  constructor(private readonly options: CredentialBudgetsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Until when this replica knows the credential has no unit left (undefined: it may have one now). */
  heldUntil(credential: Credential, now = this.now()): number | undefined {
    const until = this.states.get(credential.key)?.heldUntil ?? 0;
    return until > now ? until : undefined;
  }

  dailyState(credential: Credential): DailyBudgetState {
    return this.states.get(credential.key)?.daily ?? 'ok';
  }

  /** Takes one unit if there is one now: `wait` 0 and the units left, else how long until there is one. */
  async tryTake(credential: Credential): Promise<{ wait: number; remaining: number }> {
    const state = this.state(credential);
    // A 429 this replica just had holds its calls before the shared hold is written.
    const blockedFor = state.blockedUntil - this.now();
    if (blockedFor > 0) return { wait: blockedFor, remaining: 0 };
    let taken: { wait: number; remaining: number };
    try {
      taken = await this.options.limiter.take(credential.key, state.plan);
    } catch (error) {
      // Without the shared count no replica may guess: wait a window and ask again.
      this.options.logger.warn(
        { err: error, credential: credential.key },
        'call budget store failed; waiting',
      );
      taken = { wait: Math.ceil(state.plan.windowMs), remaining: 0 };
    }
    if (taken.wait > 0) state.heldUntil = Math.max(state.heldUntil, this.now() + taken.wait);
    return taken;
  }

  /** Waits until the credential has a unit and takes it; the units left in the window. */
  async acquire(credential: Credential, signal?: AbortSignal): Promise<number> {
    const startedAt = this.now();
    for (;;) {
      if (signal?.aborted) throw new Error('the call was abandoned at shutdown');
      const { wait, remaining } = await this.tryTake(credential);
      if (wait === 0) {
        this.options.onWaited?.(credential.key, this.now() - startedAt);
        return remaining;
      }
      await sleep(Math.min(wait, MAX_SLEEP_MS), signal);
    }
  }

  /**
   * The budget a connector sees during one delivery. `prepaid`: the scheduler already took the unit of its
   * first HTTP call (the units left after it).
   */
  forCall(credential: Credential, signal: AbortSignal, prepaid?: number): CallBudget {
    let unitInHand = prepaid !== undefined;
    let remaining = prepaid ?? this.state(credential).plan.points;
    return {
      acquire: async () => {
        if (unitInHand) {
          unitInHand = false;
          return;
        }
        remaining = await this.acquire(credential, signal);
      },
      report: (report) => this.report(credential, report, remaining),
    };
  }

  /** No replica calls with the credential for `ms` (the CRM answered 429 with a Retry-After). */
  block(credential: Credential, ms: number): void {
    const state = this.state(credential);
    state.blockedUntil = Math.max(state.blockedUntil, this.now() + ms);
    state.heldUntil = Math.max(state.heldUntil, state.blockedUntil);
    this.options.limiter.block(credential.key, state.plan, ms).catch((error: unknown) => {
      this.options.logger.warn(
        { err: error, credential: credential.key },
        'could not share a call budget hold',
      );
    });
  }

  /** What a CRM answer said; `counted` is what the shared limiter had left when the call's unit was taken. */
  report(credential: Credential, report: RateLimitReport, counted: number): void {
    const state = this.state(credential);
    const { window, daily } = report;
    if (window && window.intervalMs > 0) {
      if (state.crmWindow?.max !== window.max || state.crmWindow.intervalMs !== window.intervalMs) {
        state.crmWindow = { max: window.max, intervalMs: window.intervalMs };
        state.plan = this.planOf(credential, state.crmWindow);
      }
      const missing = Math.min(counted, state.plan.points) - window.remaining;
      if (missing > 0) {
        this.options.limiter.spend(credential.key, state.plan, missing).catch((error: unknown) => {
          this.options.logger.warn({ err: error, credential: credential.key }, 'could not spend call units');
        });
      }
    }
    if (daily && daily.limit > 0) {
      const limit = credential.limits?.dailyLimit ?? daily.limit;
      const usedRatio = Math.max(0, daily.limit - daily.remaining) / limit;
      this.options.onDailyUsage(credential.key, usedRatio);
      const { dailyAlertShare, dailyThrottleShare } = this.options.settings;
      const next: DailyBudgetState =
        usedRatio >= dailyThrottleShare ? 'throttle' : usedRatio >= dailyAlertShare ? 'alert' : 'ok';
      if (next !== state.daily) {
        this.options.logger.warn(
          { credential: credential.key, usedRatio: Number(usedRatio.toFixed(4)), state: next },
          next === 'throttle'
            ? 'daily CRM budget nearly spent: only hot leads are delivered, the others wait on the retry topic'
            : 'daily CRM budget state changed',
        );
        state.daily = next;
      }
    }
  }

  private state(credential: Credential): CredentialState {
    let state = this.states.get(credential.key);
    if (!state) {
      state = { plan: this.planOf(credential, undefined), heldUntil: 0, blockedUntil: 0, daily: 'ok' };
      this.states.set(credential.key, state);
    }
    return state;
  }

  /** The smallest of the account's override, the CRM's window and the default, over the CRM's interval. */
  private planOf(credential: Credential, crm: { max: number; intervalMs: number } | undefined): WindowPlan {
    const { settings } = this.options;
    const windowMs = credential.limits?.windowMs ?? settings.callWindowMs;
    const calls = credential.limits?.callsPerWindow ?? settings.callsPerWindow;
    if (!crm) return planWindows(calls, windowMs);
    const scaled = Math.floor((calls * crm.intervalMs) / windowMs);
    return planWindows(Math.max(2, Math.min(crm.max, scaled)), crm.intervalMs);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
