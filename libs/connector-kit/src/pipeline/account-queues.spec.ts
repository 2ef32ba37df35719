import { AccountQueues } from './account-queues';

const idle = () => false;

describe('AccountQueues (the adaptive batcher)', () => {
  it('makes an idle account due as soon as it holds one record, with no wait for company', () => {
    const queues = new AccountQueues<string>(100);
    queues.add('a', 'x', 0);
    expect(queues.due(0, idle)).toEqual(['a']);
    expect(queues.nextDueAt(0, idle)).toBe(0);
    expect(queues.take('a', 0)).toEqual(['x']);
    expect(queues.nextDueAt(0, idle)).toBeUndefined();
  });

  it('leaves a busy account out, whatever it holds; its batch is there when the call ends', () => {
    const queues = new AccountQueues<string>(100);
    const busy = (account: string) => account === 'a';
    ['a1', 'a2', 'a3'].forEach((item) => queues.add('a', item, 0));
    queues.add('b', 'b1', 0);
    expect(queues.due(0, busy)).toEqual(['b']);
    expect(queues.nextDueAt(0, (account) => account === 'a' || account === 'b')).toBeUndefined();
    expect(queues.due(5, idle)).toEqual(['a', 'b']);
    expect(queues.take('a', 5)).toEqual(['a1', 'a2', 'a3']);
  });

  it('takes at most a batch, the rest staying for the next call', () => {
    const queues = new AccountQueues<number>(3);
    [1, 2, 3, 4].forEach((item) => queues.add('a', item, 0));
    expect(queues.take('a', 0)).toEqual([1, 2, 3]);
    expect(queues.size('a')).toBe(1);
    expect(queues.due(0, idle)).toEqual(['a']);
  });

  it('leaves held records in their place', () => {
    const queues = new AccountQueues<string>(3);
    ['x', 'held', 'y'].forEach((item) => queues.add('a', item, 0));
    expect(queues.take('a', 0, (item) => item === 'held')).toEqual(['x', 'y']);
    expect(queues.take('a', 0)).toEqual(['held']);
  });

  it('batches per account (a call never mixes accounts), longest waiting first', () => {
    const queues = new AccountQueues<string>(2);
    queues.add('b', 'b1', 10);
    queues.add('a', 'a1', 20);
    queues.add('b', 'b2', 30);
    expect(queues.due(30, idle)).toEqual(['b', 'a']);
    expect(queues.take('b', 30)).toEqual(['b1', 'b2']);
    expect(queues.take('a', 30)).toEqual(['a1']);
  });

  it('keeps a held account back until its hold ends, whatever waits', () => {
    const queues = new AccountQueues<number>(1);
    queues.add('a', 1, 0);
    queues.hold('a', 500);
    expect(queues.due(499, idle)).toEqual([]);
    expect(queues.heldUntil('a', 100)).toBe(500);
    expect(queues.nextDueAt(100, idle)).toBe(500);
    expect(queues.due(500, idle)).toEqual(['a']);
  });

  it('puts retried records first, sent once ready, together with the others', () => {
    const queues = new AccountQueues<string>(3);
    queues.add('a', 'new', 100);
    queues.requeue('a', ['r1', 'r2'], 300);
    expect(queues.take('a', 200)).toEqual(['new']);
    queues.add('a', 'newer', 250);
    expect(queues.take('a', 250)).toEqual(['newer']);
    expect(queues.due(299, idle)).toEqual([]);
    expect(queues.nextDueAt(260, idle)).toBe(300);
    queues.add('a', 'newest', 280);
    expect(queues.due(300, idle)).toEqual(['a']);
    expect(queues.take('a', 300)).toEqual(['r1', 'r2', 'newest']);
  });

  it('drains one account or all of them', () => {
    const queues = new AccountQueues<number>(10);
    queues.add('a', 1, 0);
    queues.add('b', 2, 0);
    queues.add('b', 3, 0);
    expect(queues.drain('b')).toEqual([2, 3]);
    expect(queues.size('a')).toBe(1);
    expect(queues.drain()).toEqual([1]);
    expect(queues.nextDueAt(0, idle)).toBeUndefined();
  });
});
