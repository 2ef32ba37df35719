import { silentLogger } from '@lead-delivery/messaging';
import { AccountQueues } from './account-queues';
import { BatchDispatcher, type Admission, type BatchDispatcherOptions } from './batch-dispatcher';

/** Runs what is queued without moving the (fake) clock: promise jobs and the dispatcher's setImmediate. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('BatchDispatcher', () => {
  let now: number;
  let queues: AccountQueues<string>;
  let calls: Array<{
    accountId: string;
    items: string[];
    answer(): void;
    fail(error: Error): void;
    release(): void;
  }>;
  let allowed: 'none' | 'trial' | 'all';
  let admissions: Map<string, Admission>;
  let dispatcher: BatchDispatcher<string>;

  const start = (options: Partial<BatchDispatcherOptions<string>> = {}) => {
    dispatcher = new BatchDispatcher({
      queues,
      maxConcurrentCalls: 4,
      allowed: () => allowed,
      admit: (accountId) => admissions.get(accountId) ?? { kind: 'go' },
      keyOf: (item) => item.split('#')[0] as string, // 'a-1#2': the second copy of record a-1
      send: (accountId, items, release) =>
        new Promise<void>((resolve, reject) => {
          calls.push({ accountId, items, answer: resolve, fail: reject, release });
        }),
      logger: silentLogger,
      now: () => now,
      ...options,
    });
  };
  const add = (accountId: string, ...items: string[]) => {
    for (const item of items) queues.add(accountId, item, now);
    dispatcher.wake();
  };
  const answerAll = () => calls.forEach((call) => call.answer());

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    now = 1_000;
    queues = new AccountQueues(3);
    calls = [];
    allowed = 'all';
    admissions = new Map();
    start();
  });

  afterEach(async () => {
    dispatcher.stop();
    answerAll();
    await dispatcher.drained();
    jest.useRealTimers();
  });

  it('sends a lone record at once, with no timer', async () => {
    add('a', 'a-0');
    await settle();
    expect(calls.map(({ accountId, items }) => ({ accountId, items }))).toEqual([
      { accountId: 'a', items: ['a-0'] },
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps one call per account; records that arrive meanwhile leave together, in batches', async () => {
    add('a', 'a-0');
    await settle();
    add('a', 'a-1', 'a-2', 'a-3', 'a-4');
    await settle();
    expect(calls).toHaveLength(1);

    calls[0]?.answer();
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a-0'], ['a-1', 'a-2', 'a-3']]);
    calls[1]?.answer();
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a-0'], ['a-1', 'a-2', 'a-3'], ['a-4']]);
  });

  it('starts the next call of an account once the one in flight releases it, never a third', async () => {
    add('a', 'a-0');
    await settle();
    add('a', 'a-1', 'a-2');
    await settle();
    expect(calls).toHaveLength(1);

    calls[0]?.release();
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a-0'], ['a-1', 'a-2']]);

    add('a', 'a-3');
    calls[1]?.release(); // two in flight, both released: still no third
    await settle();
    expect(calls).toHaveLength(2);

    calls[0]?.answer();
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a-0'], ['a-1', 'a-2'], ['a-3']]);
  });

  it('keeps a second copy of a record in flight out of the next call until the first call ends', async () => {
    add('a', 'a-1#1');
    await settle();
    add('a', 'a-1#2', 'a-2');
    calls[0]?.release();
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a-1#1'], ['a-2']]);

    calls[1]?.answer();
    await settle();
    expect(calls).toHaveLength(2); // a-1#1's call is still in flight
    expect(jest.getTimerCount()).toBe(0); // waiting for it, not polling

    calls[0]?.answer();
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a-1#1'], ['a-2'], ['a-1#2']]);
  });

  it('counts released calls against maxConcurrentCalls', async () => {
    start({ maxConcurrentCalls: 1 });
    add('a', 'a-0');
    add('b', 'b-0');
    await settle();
    calls[0]?.release();
    add('a', 'a-1');
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a-0']]);
  });

  it('starts at most maxConcurrentCalls calls; the end of one starts the next account', async () => {
    start({ maxConcurrentCalls: 2 });
    add('a', 'a-0');
    add('b', 'b-0');
    add('c', 'c-0');
    await settle();
    expect(calls.map((call) => call.accountId)).toEqual(['a', 'b']);

    calls[0]?.answer();
    await settle();
    expect(calls.map((call) => call.accountId)).toEqual(['a', 'b', 'c']);
  });

  it('starts nothing while no call is allowed, and one call at a time for a trial', async () => {
    allowed = 'none';
    add('a', 'a-0');
    add('b', 'b-0');
    await settle();
    expect(calls).toHaveLength(0);

    allowed = 'trial';
    dispatcher.wake();
    await settle();
    expect(calls.map((call) => call.accountId)).toEqual(['a']);

    allowed = 'all';
    calls[0]?.answer();
    await settle();
    expect(calls.map((call) => call.accountId)).toEqual(['a', 'b']);
  });

  it('skips an account its admission took the records of', async () => {
    admissions.set('a', { kind: 'skip' });
    queues.add('b', 'b-0', now);
    add('a', 'a-0');
    await settle();
    expect(calls.map((call) => call.accountId)).toEqual(['b']);
  });

  it('lets an account without budget wait, without a slot, and wakes when its budget frees', async () => {
    start({ maxConcurrentCalls: 1 });
    admissions.set('a', { kind: 'wait', until: now + 500 });
    add('a', 'a-0');
    add('b', 'b-0');
    await settle();
    expect(calls.map((call) => call.accountId)).toEqual(['b']);
    calls[0]?.answer();
    await settle();

    add('a', 'a-1');
    await settle();
    admissions.delete('a');
    now += 500;
    jest.advanceTimersByTime(500);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['b-0'], ['a-0', 'a-1']]);
  });

  it('wakes for a record requeued for later', async () => {
    queues.requeue('a', ['a-0'], now + 200);
    dispatcher.wake();
    await settle();
    expect(calls).toHaveLength(0);

    now += 200;
    jest.advanceTimersByTime(200);
    await settle();
    expect(calls.map((call) => call.items)).toEqual([['a-0']]);
  });

  it('frees the account when a call fails unexpectedly, and logs it', async () => {
    const logger = { ...silentLogger, error: jest.fn() };
    start({ logger });
    add('a', 'a-0');
    await settle();
    add('a', 'a-1');
    calls[0]?.fail(new Error('bug'));
    await settle();

    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ accountId: 'a' }),
      'delivery call failed unexpectedly',
    );
    expect(calls.map((call) => call.items)).toEqual([['a-0'], ['a-1']]);
  });

  it('after stop starts no call, and drained() waits for those in flight', async () => {
    add('a', 'a-0');
    await settle();
    dispatcher.stop();
    add('b', 'b-0');
    await settle();
    expect(calls).toHaveLength(1);
    expect(dispatcher.inFlight).toBe(1);

    let drained = false;
    void dispatcher.drained().then(() => (drained = true));
    await settle();
    expect(drained).toBe(false);
    calls[0]?.answer();
    await settle();
    expect(drained).toBe(true);
    expect(dispatcher.inFlight).toBe(0);
  });
});
