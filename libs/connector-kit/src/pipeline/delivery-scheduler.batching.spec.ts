import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { silentLogger } from '@lead-delivery/messaging';
import { Registry } from 'prom-client';
import {
  SCHEDULER_SETTINGS,
  fakeRecorder,
  pendingLead,
  unlimitedCalls,
  type FakeMapped,
} from '../../test/support/scheduler-fakes';
import { memoryCallLimiter, type CallLimiter } from '../budget/call-limiter';
import type { DeliverySettings } from '../config/connector-kit.config';
import { ConnectorError } from '../connector/connector.error';
import {
  delivered,
  type ConnectorLimits,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type RecordOutcome,
} from '../connector/crm-connector';
import { ConnectorMetrics } from '../metrics/connector-metrics';
import { DeliveryScheduler } from './delivery-scheduler';
import type { OutcomeRecorder } from './outcome-recorder';

/** A CRM whose calls stay in flight until the spec answers them. */
class HeldConnector implements CrmConnector<FakeMapped> {
  readonly destination = 'fake';
  readonly limits: ConnectorLimits = { maxBatchSize: 10, callsPerWindow: 10_000, callWindowMs: 1_000 };
  readonly calls: Array<{ accountId: string; leadIds: string[] }> = [];
  private readonly waiting: Array<() => void> = [];

  map(event: LeadEnrichedV1): FakeMapped {
    return { leadId: event.lead.lead_id };
  }

  deliver(batch: DeliveryBatch<FakeMapped>, _context?: DeliveryContext): Promise<RecordOutcome[]> {
    this.calls.push({ accountId: batch.accountId, leadIds: batch.records.map((record) => record.key) });
    return new Promise((resolve) => {
      this.waiting.push(() => resolve(batch.records.map(({ key }) => delivered(`crm-${key}`))));
    });
  }

  /** Answers every call in flight. */
  answer(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  get inFlight(): number {
    return this.waiting.length;
  }

  classify(error: unknown): ConnectorError {
    return new ConnectorError('transient', (error as Error).message);
  }
}

/** HubSpot's shape: a contact upsert, then the notes; the spec answers each request. */
class TwoRequestConnector extends HeldConnector {
  override readonly limits: ConnectorLimits = {
    maxBatchSize: 10,
    callsPerWindow: 10_000,
    callWindowMs: 1_000,
    pipelined: true,
  };
  readonly firstRequests: Array<() => void> = [];

  override async deliver(
    batch: DeliveryBatch<FakeMapped>,
    { budget }: DeliveryContext,
  ): Promise<RecordOutcome[]> {
    await budget.acquire();
    await new Promise<void>((resolve) => this.firstRequests.push(resolve));
    await budget.acquire();
    return super.deliver(batch);
  }

  answerFirstRequests(): void {
    for (const resolve of this.firstRequests.splice(0)) resolve();
  }
}

/** Runs what is queued without moving the (fake) clock: promise jobs and the scheduler's setImmediate. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

const ids = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

describe('DeliveryScheduler: adaptive batching', () => {
  let connector: HeldConnector;
  let recorder: ReturnType<typeof fakeRecorder>;
  let scheduler: DeliveryScheduler<FakeMapped>;

  const start = (settings: Partial<DeliverySettings> = {}, limiter: CallLimiter = unlimitedCalls) => {
    scheduler = new DeliveryScheduler({
      connector,
      settings: { ...SCHEDULER_SETTINGS, ...settings },
      recorder: recorder as unknown as OutcomeRecorder,
      metrics: new ConnectorMetrics(new Registry(), 'fake'),
      logger: silentLogger,
      consumption: { pause: jest.fn(), resume: jest.fn() },
      limiter,
    });
  };
  const submit = (leadIds: string[], accountId = 'acct-1') =>
    leadIds.forEach((leadId) => scheduler.submit(pendingLead(leadId, accountId)));
  const batches = () => connector.calls.map((call) => call.leadIds);

  beforeEach(() => {
    // The clock stands still unless a spec moves it: whatever is sent, is sent without a timer firing.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    connector = new HeldConnector();
    recorder = fakeRecorder();
    start();
  });

  afterEach(async () => {
    jest.useRealTimers();
    connector.answer();
    await scheduler.stop(0);
  });

  it('sends a lone lead at once, without waiting for any timer', async () => {
    submit(['lead-0']);
    await settle();

    expect(batches()).toEqual([['lead-0']]);
    expect(jest.getTimerCount()).toBe(0);
    connector.answer();
    await settle();
    expect(recorder.delivered).toHaveBeenCalledTimes(1);
  });

  it('batches the leads that arrive during a call, and sends them as soon as it returns', async () => {
    submit(['first']);
    await settle();
    submit(ids('during', 3));
    await settle();
    expect(batches()).toEqual([['first']]); // one call per account at a time

    connector.answer();
    await settle();
    expect(batches()).toEqual([['first'], ids('during', 3)]);

    connector.answer();
    await settle();
    submit(['after']);
    await settle();
    expect(batches()).toEqual([['first'], ids('during', 3), ['after']]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sends full batches under a backlog', async () => {
    submit(ids('backlog', 25));
    await settle();
    expect(batches()).toEqual([ids('backlog', 25).slice(0, 10)]);

    connector.answer();
    await settle();
    submit(ids('more', 3));
    connector.answer();
    await settle();
    connector.answer();
    await settle();

    expect(batches().map((batch) => batch.length)).toEqual([10, 10, 8]);
    expect(batches().flat()).toEqual([...ids('backlog', 25), ...ids('more', 3)]);
  });

  it("does not hold one account's lead back for another account's call", async () => {
    submit(['a-0'], 'acct-a');
    await settle();
    submit(['a-1'], 'acct-a');
    submit(['b-0'], 'acct-b');
    await settle();

    expect(connector.calls).toEqual([
      { accountId: 'acct-a', leadIds: ['a-0'] },
      { accountId: 'acct-b', leadIds: ['b-0'] },
    ]);
  });

  it("lets leads gather while the credential's call budget says wait, then sends them in one call", async () => {
    start({ callsPerWindow: 2, callWindowMs: 1_000 }, memoryCallLimiter('fake')); // one call a second (planWindows)
    submit(['lead-0']);
    await settle();
    connector.answer();
    await settle();
    submit(ids('waiting', 4));
    await settle();
    expect(batches()).toEqual([['lead-0']]);

    jest.advanceTimersByTime(1_000);
    await settle();
    expect(batches()).toEqual([['lead-0'], ids('waiting', 4)]);
  });

  it("starts a pipelined account's next batch once the delivery in flight is past its first request", async () => {
    const pipelined = new TwoRequestConnector();
    connector = pipelined;
    start();
    submit(['first']);
    await settle();
    submit(['second', 'third']);
    await settle();
    expect(pipelined.firstRequests).toHaveLength(1); // the upsert of 'first' is in flight: the others wait

    pipelined.answerFirstRequests();
    await settle();
    expect(pipelined.firstRequests).toHaveLength(1); // 'second' and 'third' started beside 'first's notes
    expect(batches()).toEqual([['first']]);

    pipelined.answerFirstRequests();
    await settle();
    expect(batches()).toEqual([['first'], ['second', 'third']]);
  });
});
