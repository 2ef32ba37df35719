import { fakeRecorder, pendingLead, type FakeMapped } from '../../test/support/scheduler-fakes';
import { RecordFault } from './record-fault';
import { RecordIsolation, inHalves } from './record-isolation';

const fault = new RecordFault("Cannot read properties of undefined (reading 'body')", new TypeError('x'));

describe('RecordIsolation', () => {
  let recorder: ReturnType<typeof fakeRecorder>;
  let resend: jest.Mock;
  let stopped: boolean;
  let isolation: RecordIsolation<FakeMapped>;

  beforeEach(() => {
    jest.useFakeTimers();
    recorder = fakeRecorder();
    resend = jest.fn(async () => undefined);
    stopped = false;
    isolation = new RecordIsolation<FakeMapped>({
      recordMaxAttempts: 3,
      recorder,
      resend,
      delayMs: (faults) => faults * 100,
      stopped: () => stopped,
    });
  });

  afterEach(() => jest.useRealTimers());

  it('splits leads in two halves, the first the larger', () => {
    expect(inHalves([1, 2, 3, 4, 5])).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(inHalves([1])).toEqual([[1], []]);
  });

  it('halves a call that failed on one of its records, sending each half again', async () => {
    const leads = ['l-0', 'l-1', 'l-2'].map((id) => pendingLead(id));
    await isolation.isolate('a', leads, fault);
    expect(resend.mock.calls).toEqual([
      ['a', leads.slice(0, 2)],
      ['a', leads.slice(2)],
    ]);
  });

  it('sends a lead alone again after a growing delay, and dead-letters it after recordMaxAttempts', async () => {
    const lead = pendingLead('poison');
    const first = isolation.isolate('a', [lead], fault);
    await jest.advanceTimersByTimeAsync(99);
    expect(resend).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await first;
    expect(resend).toHaveBeenCalledWith('a', [lead]);

    const second = isolation.isolate('a', [lead], fault);
    await jest.advanceTimersByTimeAsync(200);
    await second;
    expect(resend).toHaveBeenCalledTimes(2);

    await isolation.isolate('a', [lead], fault);
    expect(resend).toHaveBeenCalledTimes(2);
    expect(recorder.deadLettered).toHaveBeenCalledWith(lead, 'record_failed', fault.reason);
  });

  it('counts the faults of each lead on its own', async () => {
    const [a, b] = [pendingLead('a-0'), pendingLead('b-0')];
    const calls = [
      isolation.isolate('a', [a], fault),
      isolation.isolate('a', [a], fault),
      isolation.isolate('a', [b], fault),
    ];
    await jest.advanceTimersByTimeAsync(200);
    await Promise.all(calls);
    expect(recorder.deadLettered).not.toHaveBeenCalled();
  });

  it('after stop leaves the leads unsettled', async () => {
    stopped = true;
    await isolation.isolate('a', [pendingLead('l-0'), pendingLead('l-1')], fault);
    expect(resend).not.toHaveBeenCalled();
    expect(recorder.deadLettered).not.toHaveBeenCalled();
  });
});
