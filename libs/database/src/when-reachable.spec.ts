import { whenReachable } from './when-reachable';

describe('whenReachable', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries with a doubling delay and a warning per failure until the connection succeeds', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const connect = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(refused)
      .mockRejectedValueOnce(refused)
      .mockResolvedValue('connected');
    const logger = { warn: jest.fn() };

    const result = whenReachable(connect, { logger });
    await jest.advanceTimersByTimeAsync(1_500);

    await expect(result).resolves.toBe('connected');
    expect(logger.warn.mock.calls).toEqual([
      [{ err: refused, retryInMs: 500 }, 'PostgreSQL is not reachable yet'],
      [{ err: refused, retryInMs: 1_000 }, 'PostgreSQL is not reachable yet'],
    ]);
  });

  it('gives up, with undefined, once stopped', async () => {
    let stopped = false;
    const connect = jest.fn(() => {
      stopped = true;
      return Promise.reject(new Error('Connection terminated unexpectedly'));
    });

    const result = whenReachable(connect, { logger: { warn: jest.fn() }, stopped: () => stopped });
    await jest.advanceTimersByTimeAsync(500);

    await expect(result).resolves.toBeUndefined();
    expect(connect).toHaveBeenCalledTimes(1);
  });
});
