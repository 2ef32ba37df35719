import { settlesWithin } from './settles-within';

describe('settlesWithin', () => {
  it('gives the value of work that finishes in time', async () => {
    expect(await settlesWithin(Promise.resolve(42), 1_000)).toEqual({ status: 'fulfilled', value: 42 });
  });

  it('gives the reason of work that fails in time, without throwing', async () => {
    const failure = new Error('broker gone');
    expect(await settlesWithin(Promise.reject(failure), 1_000)).toEqual({
      status: 'rejected',
      reason: failure,
    });
  });

  it('stops waiting for work that has not settled by the deadline', async () => {
    const never = new Promise<void>(() => undefined);
    expect(await settlesWithin(never, 10)).toEqual({ status: 'pending' });
  });
});
