import type { LeadEnrichedV1, LeadTier } from '@lead-delivery/contracts';
import { silentLogger } from '@lead-delivery/messaging';
import { Registry } from 'prom-client';
import {
  SCHEDULER_SETTINGS,
  fakeRecorder,
  pendingLead,
  type FakeMapped,
} from '../../test/support/scheduler-fakes';
import type { Credential, RateLimitReport } from '../budget/call-budget';
import { memoryCallLimiter, type CallLimiter } from '../budget/call-limiter';
import { planWindows } from '../budget/window-plan';
import { ConnectorError } from '../connector/connector.error';
import {
  delivered,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type RecordOutcome,
} from '../connector/crm-connector';
import { ConnectorMetrics } from '../metrics/connector-metrics';
import { DeliveryScheduler } from './delivery-scheduler';
import type { OutcomeRecorder } from './outcome-recorder';

/** Accounts a and b share portal-1; c has portal-2. Each delivery makes `httpCalls` HTTP calls. */
class PortalConnector implements CrmConnector<FakeMapped> {
  readonly destination = 'fake';
  readonly limits = { maxBatchSize: 10, callsPerWindow: 10_000, callWindowMs: 1_000 };
  readonly calls: string[] = [];
  httpCalls = 1;
  report: RateLimitReport = {};
  failWith: ConnectorError | undefined;

  map(event: LeadEnrichedV1): FakeMapped {
    return { leadId: event.lead.lead_id };
  }

  credentialOf(accountId: string): Credential {
    return { key: accountId === 'acct-c' ? 'portal-2' : 'portal-1' };
  }

  async deliver(batch: DeliveryBatch<FakeMapped>, { budget }: DeliveryContext): Promise<RecordOutcome[]> {
    this.calls.push(batch.accountId);
    for (let call = 0; call < this.httpCalls; call += 1) {
      await budget.acquire();
      budget.report(this.report);
    }
    if (this.failWith) throw this.failWith;
    return batch.records.map(({ key }) => delivered(`crm-${key}`));
  }

  classify(error: unknown): ConnectorError {
    return error instanceof ConnectorError ? error : new ConnectorError('transient', String(error));
  }
}

const settle = async () => {
  for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

function leadOf(leadId: string, accountId: string, tier: LeadTier = 'warm') {
  const lead = pendingLead(leadId, accountId);
  (lead.lead.event as { enrichment?: unknown }).enrichment = { tier };
  return lead;
}

describe('DeliveryScheduler: call budgets per credential', () => {
  let connector: PortalConnector;
  let recorder: ReturnType<typeof fakeRecorder>;
  let scheduler: DeliveryScheduler<FakeMapped>;

  const start = (limiter: CallLimiter, maxConcurrentCalls = 4) => {
    scheduler = new DeliveryScheduler({
      connector,
      settings: { ...SCHEDULER_SETTINGS, maxConcurrentCalls },
      recorder: recorder as unknown as OutcomeRecorder,
      metrics: new ConnectorMetrics(new Registry(), 'fake'),
      logger: silentLogger,
      consumption: { pause: jest.fn(), resume: jest.fn() },
      limiter,
    });
  };

  beforeEach(() => {
    connector = new PortalConnector();
    recorder = fakeRecorder();
  });
  afterEach(() => scheduler.stop(0));

  it('holds the accounts of a portal that is out of calls without taking the slot of another portal', async () => {
    const outOfCalls: CallLimiter = {
      take: async (key) => (key === 'portal-1' ? { wait: 60_000, remaining: 0 } : { wait: 0, remaining: 5 }),
      spend: async () => undefined,
      block: async () => undefined,
    };
    start(outOfCalls, 1);
    scheduler.submit(leadOf('a-0', 'acct-a'));
    scheduler.submit(leadOf('b-0', 'acct-b'));
    await settle();
    scheduler.submit(leadOf('c-0', 'acct-c'));
    await settle();

    expect(connector.calls).toEqual(['acct-c']);
    expect(recorder.delivered).toHaveBeenCalledTimes(1);
    expect(recorder.parked).not.toHaveBeenCalled(); // a and b wait in memory for their portal's window
  });

  it("charges every HTTP call of a delivery to the account's credential, shared by its accounts", async () => {
    const limiter = memoryCallLimiter('fake');
    connector.httpCalls = 3;
    start(limiter);
    scheduler.submit(leadOf('a-0', 'acct-a'));
    scheduler.submit(leadOf('b-0', 'acct-b'));
    scheduler.submit(leadOf('c-0', 'acct-c'));
    await settle();
    expect(recorder.delivered).toHaveBeenCalledTimes(3);

    // 6 calls were taken on portal-1, 3 on portal-2, in the window planned for 10,000 calls a second.
    const plan = planWindows(10_000, 1_000);
    expect((await limiter.take('portal-1', plan)).remaining).toBe(plan.points - 7);
    expect((await limiter.take('portal-2', plan)).remaining).toBe(plan.points - 4);
  });

  it('above the daily throttle share delivers only hot leads and parks the others', async () => {
    start(memoryCallLimiter('fake'));
    connector.report = { daily: { limit: 1_000, remaining: 20 } };
    scheduler.submit(leadOf('first', 'acct-a'));
    await settle();
    scheduler.submit(leadOf('hot', 'acct-a', 'hot'));
    scheduler.submit(leadOf('warm', 'acct-b', 'warm'));
    scheduler.submit(leadOf('other-portal', 'acct-c', 'cold'));
    await settle();

    const deliveredIds = recorder.delivered.mock.calls.map(([lead]) => lead.lead.leadId);
    expect(deliveredIds.sort()).toEqual(['first', 'hot', 'other-portal']);
    expect(recorder.parked).toHaveBeenCalledTimes(1);
    const [[parkedLead, delayMs, failure]] = recorder.parked.mock.calls;
    expect(parkedLead.lead.leadId).toBe('warm');
    expect(delayMs).toBe(SCHEDULER_SETTINGS.parkDelayMaxMs);
    expect(failure.kind).toBe('daily_budget');
  });

  it("holds the portal's other accounts for a 429's Retry-After", async () => {
    start(memoryCallLimiter('fake'));
    connector.failWith = new ConnectorError('rate_limited', 'TEN_SECONDLY_ROLLING', { retryAfterMs: 60_000 });
    scheduler.submit(leadOf('a-0', 'acct-a'));
    await settle();
    connector.failWith = undefined;
    scheduler.submit(leadOf('b-0', 'acct-b'));
    scheduler.submit(leadOf('c-0', 'acct-c'));
    await settle();

    expect(connector.calls).toEqual(['acct-a', 'acct-c']);
  });
});
