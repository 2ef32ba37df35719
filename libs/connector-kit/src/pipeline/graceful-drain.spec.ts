import { silentLogger } from '@lead-delivery/messaging';
import { drainWithin, type GracefulDrainOptions } from './graceful-drain';

describe('drainWithin', () => {
  let abandon: jest.Mock;
  let logger: typeof silentLogger & { warn: jest.Mock };
  let finishCalls: () => void;
  let options: GracefulDrainOptions;

  beforeEach(() => {
    jest.useFakeTimers();
    abandon = jest.fn();
    logger = { ...silentLogger, warn: jest.fn() };
    const calls = new Promise<void>((resolve) => (finishCalls = resolve));
    options = {
      calls: () => calls,
      outcomes: async () => undefined,
      inFlight: () => 2,
      abandon,
      logger,
      destination: 'fake',
    };
  });

  afterEach(() => jest.useRealTimers());

  it('returns once the calls finished and their outcomes are written, abandoning nothing', async () => {
    const outcomes = jest.fn(async () => undefined);
    const drained = drainWithin(1_000, { ...options, outcomes });
    await jest.advanceTimersByTimeAsync(500);
    expect(outcomes).not.toHaveBeenCalled(); // outcomes are awaited after the calls
    finishCalls();
    await drained;
    expect(outcomes).toHaveBeenCalled();
    expect(abandon).not.toHaveBeenCalled();
  });

  it('abandons the calls still in flight once the grace period is over', async () => {
    const drained = drainWithin(1_000, options);
    await jest.advanceTimersByTimeAsync(999);
    expect(abandon).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await drained;
    expect(abandon).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      { destination: 'fake', calls: 2 },
      expect.stringContaining('shutdown grace period over'),
    );
  });

  it('abandons when the outcomes are not written in time', async () => {
    finishCalls();
    const drained = drainWithin(100, { ...options, outcomes: () => new Promise(() => undefined) });
    await jest.advanceTimersByTimeAsync(100);
    await drained;
    expect(abandon).toHaveBeenCalledTimes(1);
  });
});
