import type { LeadTier } from '@lead-delivery/contracts';
import { silentLogger } from '@lead-delivery/messaging';
import { SCHEDULER_SETTINGS, pendingLead } from '../../test/support/scheduler-fakes';
import type { Credential } from '../budget/call-budget';
import { memoryCallLimiter, type CallLimiter } from '../budget/call-limiter';
import { CallPacer } from './call-pacer';

function leadOf(leadId: string, tier: LeadTier) {
  const lead = pendingLead(leadId);
  (lead.lead.event as { enrichment?: unknown }).enrichment = { tier };
  return lead;
}

describe('CallPacer', () => {
  const portal: Credential = { key: 'portal-1' };
  let metrics: { dailyBudgetShares: jest.Mock; dailyBudgetUsed: jest.Mock; budgetWaited: jest.Mock };
  let recorder: { parked: jest.Mock };
  let pacer: CallPacer;
  let abort: AbortController;
  let clock: number;

  const start = (
    callsPerWindow = 10_000,
    credentialOf?: (accountId: string) => Credential,
    limiter: CallLimiter = memoryCallLimiter('fake'),
  ) => {
    pacer = new CallPacer({
      connector: { credentialOf },
      settings: { ...SCHEDULER_SETTINGS, callsPerWindow, callWindowMs: 1_000 },
      limiter,
      metrics,
      logger: silentLogger,
      recorder,
      now: () => clock,
    });
  };

  beforeEach(() => {
    metrics = { dailyBudgetShares: jest.fn(), dailyBudgetUsed: jest.fn(), budgetWaited: jest.fn() };
    recorder = { parked: jest.fn() };
    abort = new AbortController();
    clock = Date.now();
    start();
  });

  afterEach(() => abort.abort());

  it("takes the connector's credential of an account; without one, each account is its own", () => {
    expect(pacer.credentialOf('a')).toEqual({ key: 'account:a' });
    start(10_000, () => portal);
    expect(pacer.credentialOf('a')).toBe(portal);
  });

  it('publishes the daily shares it alerts and throttles at', () => {
    expect(metrics.dailyBudgetShares).toHaveBeenCalledWith(
      SCHEDULER_SETTINGS.dailyAlertShare,
      SCHEDULER_SETTINGS.dailyThrottleShare,
    );
  });

  it('holds a credential that has no call left, until its window frees', async () => {
    start(2); // one call a second (planWindows)
    expect(await pacer.tryTakeFor(portal, [])).toEqual(expect.objectContaining({ wait: 0 }));
    expect(pacer.heldUntil(portal, clock)).toBeUndefined();

    const { wait } = await pacer.tryTakeFor(portal, []);
    expect(wait).toBeGreaterThan(0);
    expect(pacer.heldUntil(portal, clock)).toBe(clock + wait);
    expect(pacer.heldUntil({ key: 'portal-2' }, clock)).toBeUndefined();
  });

  it("measures a call's wait for its first unit from the first refusal any of its leads met", async () => {
    const limiter = {
      take: jest.fn(async () => ({ wait: 0, remaining: 4 })),
      spend: jest.fn(),
      block: jest.fn(),
    };
    start(10, undefined, limiter);
    const [first, second] = [leadOf('first', 'warm'), leadOf('second', 'warm')];

    await pacer.tryTakeFor(portal, [first]);
    expect(metrics.budgetWaited).toHaveBeenLastCalledWith('portal-1', 0);

    limiter.take.mockResolvedValue({ wait: 100, remaining: 0 });
    await pacer.tryTakeFor(portal, [first]);
    clock += 100;
    await pacer.tryTakeFor(portal, [first, second]); // refused again: still waiting since the first refusal
    clock += 150;
    limiter.take.mockResolvedValue({ wait: 0, remaining: 3 });
    await pacer.tryTakeFor(portal, [second, first]);

    expect(metrics.budgetWaited.mock.calls).toEqual([
      ['portal-1', 0],
      ['portal-1', 250],
    ]);
    await pacer.tryTakeFor(portal, [first]); // the wait is over: the next call starts from scratch
    expect(metrics.budgetWaited).toHaveBeenLastCalledWith('portal-1', 0);
  });

  it('measures how long acquire waited for a unit', async () => {
    const answers = [
      { wait: 20, remaining: 0 },
      { wait: 0, remaining: 1 },
    ];
    const limiter = {
      take: jest.fn(async () => {
        const answer = answers.shift() ?? { wait: 0, remaining: 1 };
        clock += answer.wait;
        return answer;
      }),
      spend: jest.fn(),
      block: jest.fn(),
    };
    start(10, undefined, limiter);
    await pacer.acquire(portal, abort.signal);
    expect(limiter.take).toHaveBeenCalledTimes(2);
    expect(metrics.budgetWaited).toHaveBeenLastCalledWith('portal-1', 20);
  });

  it('holds a credential the CRM answered 429 for', () => {
    pacer.block(portal, 30_000);
    expect(pacer.heldUntil(portal, clock)).toBe(clock + 30_000);
  });

  it('sends every lead while the daily budget is below the throttle share', () => {
    const leads = [leadOf('warm', 'warm'), leadOf('hot', 'hot')];
    expect(pacer.deferUnlessHot(portal, leads)).toEqual(leads);
    expect(recorder.parked).not.toHaveBeenCalled();
  });

  it('above the daily throttle share sends only hot leads and parks the others', async () => {
    const budget = pacer.forCall(portal, abort.signal, 10);
    await budget.acquire();
    budget.report({ daily: { limit: 100, remaining: 2 } });
    expect(metrics.dailyBudgetUsed).toHaveBeenCalledWith('portal-1', 0.98);

    const [warm, hot] = [leadOf('warm', 'warm'), leadOf('hot', 'hot')];
    expect(pacer.deferUnlessHot(portal, [warm, hot])).toEqual([hot]);
    expect(recorder.parked).toHaveBeenCalledWith(warm, SCHEDULER_SETTINGS.parkDelayMaxMs, {
      kind: 'daily_budget',
      reason: expect.stringContaining('95 % of its daily limit'),
    });
  });

  it('acquire gives up once the shutdown aborts it', async () => {
    start(2);
    await pacer.acquire(portal, abort.signal);
    const waiting = pacer.acquire(portal, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow('abandoned at shutdown');
  });
});
