import { AccountQueues } from './account-queues';

const idle = () => false;

describe('AccountQueues (the micro-batcher)', () => {
  it('makes an account due once it holds a full batch, and takes at most a batch', () => {
    const queues = new AccountQueues<number>(3, 1_000);
    [1, 2].forEach((item) => queues.add('a', item, 0));
    expect(queues.due(10, idle)).toEqual([]);
    queues.add('a', 3, 10);
    queues.add('a', 4, 10);
    expect(queues.due(10, idle)).toEqual(['a']);
    expect(queues.take('a', 10)).toEqual([1, 2, 3]);
    expect(queues.size('a')).toBe(1);
  });

  it('makes a partial batch due when its oldest record has waited the maximum wait', () => {
    const queues = new AccountQueues<string>(100, 200);
    queues.add('a', 'x', 0);
    queues.add('b', 'y', 50);
    expect(queues.due(199, idle)).toEqual([]);
    expect(queues.nextDueAt(0, idle)).toBe(200);
    expect(queues.due(250, idle)).toEqual(['a', 'b']);
  });

  it('batches per account: a call never mixes accounts', () => {
    const queues = new AccountQueues<string>(2, 0);
    queues.add('a', 'a1', 0);
    queues.add('b', 'b1', 0);
    queues.add('a', 'a2', 0);
    expect(queues.take('a', 0)).toEqual(['a1', 'a2']);
    expect(queues.take('b', 0)).toEqual(['b1']);
  });

  it('skips accounts with a call in flight', () => {
    const queues = new AccountQueues<string>(1, 0);
    queues.add('a', 'a1', 0);
    queues.add('b', 'b1', 0);
    expect(queues.due(0, (account) => account === 'a')).toEqual(['b']);
    expect(queues.nextDueAt(0, (account) => account === 'b')).toBe(0);
  });

  it('keeps a held account back until its hold ends, whatever waits', () => {
    const queues = new AccountQueues<number>(1, 0);
    queues.add('a', 1, 0);
    queues.hold('a', 500);
    expect(queues.due(499, idle)).toEqual([]);
    expect(queues.heldUntil('a', 100)).toBe(500);
    expect(queues.nextDueAt(100, idle)).toBe(500);
    expect(queues.due(500, idle)).toEqual(['a']);
  });

  it('puts retried records first, sent once ready, together with the others', () => {
    const queues = new AccountQueues<string>(3, 1_000);
    queues.add('a', 'new', 100);
    queues.requeue('a', ['r1', 'r2'], 300, -1_000);
    expect(queues.take('a', 200)).toEqual(['new']);
    queues.add('a', 'newer', 250);
    expect(queues.due(299, idle)).toEqual([]);
    expect(queues.due(300, idle)).toEqual(['a']);
    expect(queues.take('a', 300)).toEqual(['r1', 'r2', 'newer']);
  });

  it('drains one account or all of them', () => {
    const queues = new AccountQueues<number>(10, 10);
    queues.add('a', 1, 0);
    queues.add('b', 2, 0);
    queues.add('b', 3, 0);
    expect(queues.drain('b')).toEqual([2, 3]);
    expect(queues.total).toBe(1);
    expect(queues.drain()).toEqual([1]);
    expect(queues.nextDueAt(0, idle)).toBeUndefined();
  });
});
