import { silentLogger } from '@lead-delivery/messaging';
import type { Credential } from './call-budget';
import { memoryCallLimiter, type CallLimiter } from './call-limiter';
import { CredentialBudgets } from './credential-budgets';

const SETTINGS = {
  callsPerWindow: 190,
  callWindowMs: 10_000,
  dailyAlertShare: 0.8,
  dailyThrottleShare: 0.95,
};
const PORTAL: Credential = { key: 'portal-1' };

/** Lets the budget's fire-and-forget writes to the limiter land. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('CredentialBudgets', () => {
  let limiter: CallLimiter;
  const replica = (onDailyUsage = jest.fn()) =>
    new CredentialBudgets({ limiter, settings: SETTINGS, logger: silentLogger, onDailyUsage });
  const takeAll = async (budgets: CredentialBudgets, credential: Credential, count: number) => {
    const waits: number[] = [];
    for (let call = 0; call < count; call += 1) waits.push((await budgets.tryTake(credential)).wait);
    return waits;
  };

  beforeEach(() => {
    limiter = memoryCallLimiter('hubspot');
  });

  it("counts a credential's calls across replicas sharing the limiter, and holds the one that finds none", async () => {
    const [first, second] = [replica(), replica()];
    // 190 per 10 s is taken as 5 calls per 271 ms window (see planWindows).
    expect(await takeAll(first, PORTAL, 3)).toEqual([0, 0, 0]);
    expect(await takeAll(second, PORTAL, 2)).toEqual([0, 0]);
    const { wait } = await second.tryTake(PORTAL);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(271);
    expect(second.heldUntil(PORTAL)).toBeDefined();
    expect(first.heldUntil(PORTAL)).toBeUndefined(); // it learns on its next take
  });

  it('gives each credential a budget of its own', async () => {
    const budgets = replica();
    await takeAll(budgets, PORTAL, 5);
    expect((await budgets.tryTake(PORTAL)).wait).toBeGreaterThan(0);
    expect(await takeAll(budgets, { key: 'portal-2' }, 5)).toEqual(Array(5).fill(0));
  });

  it("plans within the account's override and the CRM's headers, whichever is lower", async () => {
    const budgets = replica();
    const freePortal: Credential = { key: 'free' };
    await budgets.tryTake(freePortal);
    // A Free portal: 100 per 10 s, which planWindows splits into 4 calls per 417 ms.
    budgets.report(freePortal, { window: { max: 100, remaining: 99, intervalMs: 10_000 } }, 4);
    const waits = await takeAll(budgets, freePortal, 5);
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits[4]).toBeGreaterThan(0);

    const capped: Credential = { key: 'capped', limits: { callsPerWindow: 40, windowMs: 10_000 } };
    budgets.report(capped, { window: { max: 190, remaining: 190, intervalMs: 10_000 } }, 0);
    const cappedWaits = await takeAll(budgets, capped, 2); // 40 per 10 s: 1 call per 257 ms window
    expect(cappedWaits[0]).toBe(0);
    expect(cappedWaits[1]).toBeGreaterThan(0);
  });

  it('spends at once what the CRM says is missing (another integration calls with the same token)', async () => {
    const [first, second] = [replica(), replica()];
    const { remaining } = await first.tryTake(PORTAL);
    expect(remaining).toBe(4);
    first.report(PORTAL, { window: { max: 190, remaining: 2, intervalMs: 10_000 } }, remaining);
    await flush();
    const waits = await takeAll(second, PORTAL, 3);
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    expect(waits[2]).toBeGreaterThan(0);
  });

  it("holds every replica for a 429's Retry-After", async () => {
    const [first, second] = [replica(), replica()];
    first.block(PORTAL, 2_000);
    await flush();
    expect(first.heldUntil(PORTAL)).toBeGreaterThan(Date.now() + 1_900);
    const { wait } = await second.tryTake(PORTAL);
    expect(wait).toBeGreaterThan(1_900);
  });

  it("holds this replica's calls for a 429's Retry-After before the shared hold is written", async () => {
    const take = jest.fn(async () => ({ wait: 0, remaining: 4 }));
    const block = jest.fn(() => new Promise<void>(() => undefined)); // the store has not answered yet
    const budgets = new CredentialBudgets({
      limiter: { take, spend: jest.fn(), block },
      settings: SETTINGS,
      logger: silentLogger,
      onDailyUsage: jest.fn(),
    });
    budgets.block(PORTAL, 1_000);

    const { wait } = await budgets.tryTake(PORTAL);
    expect(wait).toBeGreaterThan(900);
    expect(take).not.toHaveBeenCalled();
  });

  it('tracks the daily usage from the headers: ok, alert above 80 %, throttle above 95 %', async () => {
    const onDailyUsage = jest.fn();
    const budgets = replica(onDailyUsage);
    budgets.report(PORTAL, { daily: { limit: 1_000, remaining: 500 } }, 10);
    expect(budgets.dailyState(PORTAL)).toBe('ok');
    budgets.report(PORTAL, { daily: { limit: 1_000, remaining: 150 } }, 10);
    expect(budgets.dailyState(PORTAL)).toBe('alert');
    budgets.report(PORTAL, { daily: { limit: 1_000, remaining: 40 } }, 10);
    expect(budgets.dailyState(PORTAL)).toBe('throttle');
    expect(onDailyUsage.mock.calls).toEqual([
      ['portal-1', 0.5],
      ['portal-1', 0.85],
      ['portal-1', 0.96],
    ]);
    // An org whose account allows this connector a part of the allocation only.
    const org: Credential = { key: 'org', limits: { dailyLimit: 10_000 } };
    budgets.report(org, { daily: { limit: 100_000, remaining: 90_400 } }, 10);
    expect(budgets.dailyState(org)).toBe('throttle');
  });

  it('waits for the next window when the current one is spent, then takes its unit', async () => {
    const [first, second] = [replica(), replica()];
    const small: Credential = { key: 'small', limits: { callsPerWindow: 2, windowMs: 200 } }; // 1 per 200 ms
    expect((await first.tryTake(small)).wait).toBe(0);
    expect(await first.acquire(small)).toBe(0);
    expect((await second.tryTake(small)).wait).toBeGreaterThan(0);
  });

  it('asks the limiter again at least every minute while a far-off hold lasts, and ends at shutdown', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const take = jest.fn(async () => ({ wait: 30 * 86_400_000, remaining: 0 })); // a Retry-After 30 days away
      const budgets = new CredentialBudgets({
        limiter: { take, spend: jest.fn(), block: jest.fn() },
        settings: SETTINGS,
        logger: silentLogger,
        onDailyUsage: jest.fn(),
      });
      const shutdown = new AbortController();
      const waiting = budgets.acquire(PORTAL, shutdown.signal);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(take).toHaveBeenCalledTimes(1); // not a busy loop on an overflowed timer
      await jest.advanceTimersByTimeAsync(60_000);
      expect(take).toHaveBeenCalledTimes(2);

      shutdown.abort();
      await expect(waiting).rejects.toThrow('abandoned at shutdown');
    } finally {
      jest.useRealTimers();
    }
  });

  it('waits a window and asks again when the shared store fails, rather than failing or hanging', async () => {
    const warn = jest.fn();
    const budgets = new CredentialBudgets({
      limiter: {
        take: jest.fn().mockRejectedValueOnce(new Error('timeout exceeded when trying to connect')),
        spend: jest.fn(),
        block: jest.fn(),
      },
      settings: SETTINGS,
      logger: { warn },
      onDailyUsage: jest.fn(),
    });

    expect(await budgets.tryTake(PORTAL)).toEqual({ wait: 271, remaining: 0 });
    expect(budgets.heldUntil(PORTAL)).toBeDefined();
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ credential: 'portal-1' }),
      'call budget store failed; waiting',
    );
  });
});
