import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Pool } from 'pg';
import type { WindowPlan } from './window-plan';

/** The counter of call units per credential, shared by the replicas of a connector. */
export interface CallLimiter {
  /** Takes one unit: `wait` 0 and the units left in the window, or the ms until the window frees. */
  take(key: string, plan: WindowPlan): Promise<{ wait: number; remaining: number }>;
  /** Uses up `points` more units of the current window (the CRM says fewer remain than we counted). */
  spend(key: string, plan: WindowPlan, points: number): Promise<void>;
  /** No replica takes a unit of `key` for `ms` (a 429 with Retry-After). */
  block(key: string, plan: WindowPlan, ms: number): Promise<void>;
}

type LimiterFactory = (options: IRateLimiterOptions) => RateLimiterAbstract;

/** Table of the call budgets in the connector store; rate-limiter-flexible's own schema. */
export const CALL_BUDGET_TABLE = 'connector_call_budgets';

/**
 * A CallLimiter on rate-limiter-flexible: one limiter per window plan (plans may differ per credential),
 * all on the same keys (`calls:<destination>:<credential>`), so every replica counts a credential's calls
 * in the same row.
 */
export class FlexibleCallLimiter implements CallLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly destination: string,
    private readonly create: LimiterFactory,
  ) {}

  async take(key: string, plan: WindowPlan): Promise<{ wait: number; remaining: number }> {
    try {
      const result = await this.limiter(plan).consume(key, 1);
      return { wait: 0, remaining: result.remainingPoints };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return { wait: Math.max(1, rejection.msBeforeNext), remaining: 0 };
      throw rejection;
    }
  }

  async spend(key: string, plan: WindowPlan, points: number): Promise<void> {
    if (points > 0) await this.limiter(plan).penalty(key, points);
  }

  async block(key: string, plan: WindowPlan, ms: number): Promise<void> {
    if (ms > 0) await this.limiter(plan).block(key, ms / 1000);
  }

  private limiter(plan: WindowPlan): RateLimiterAbstract {
    const id = `${plan.points}/${plan.windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.create({
        keyPrefix: `calls:${this.destination}`,
        points: plan.points,
        duration: plan.windowMs / 1000,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** A limiter of this process alone: unit tests, and a single replica without a store. */
export const memoryCallLimiter = (destination: string) =>
  new FlexibleCallLimiter(destination, (options) => new RateLimiterMemory(options));

/**
 * The limiter shared by every replica, on the connector store's pool (RateLimiterPostgres: one row per
 * credential, an atomic upsert per unit). Its table is the store's migration CreateCallBudgets. No
 * in-memory insurance limiter: each replica counting alone would multiply the limit by the replica count,
 * so while PostgreSQL fails, calls wait (see CredentialBudgets).
 */
export function postgresCallLimiter(destination: string, pool: Pool): CallLimiter {
  return new FlexibleCallLimiter(
    destination,
    (options) =>
      new RateLimiterPostgres({
        ...options,
        storeClient: pool,
        storeType: 'pool',
        tableName: CALL_BUDGET_TABLE,
        tableCreated: true,
      }),
  );
}
