import { OffsetTracker } from './offset-tracker';

describe('OffsetTracker', () => {
  it('commits only over the contiguous settled prefix of each partition', () => {
    const tracker = new OffsetTracker();
    for (const offset of ['10', '11', '12']) tracker.accept('t', 0, offset);
    tracker.accept('t', 1, '7');
    tracker.settle('t', 0, '11');
    expect(tracker.committable()).toEqual([]);
    tracker.settle('t', 0, '10');
    tracker.settle('t', 1, '7');
    expect(tracker.committable()).toEqual([
      { topic: 't', partition: 0, offset: '12' },
      { topic: 't', partition: 1, offset: '8' },
    ]);
    expect(tracker.pending).toBe(1);
  });

  it('offers a partition again only once its prefix moved past the last commit', () => {
    const tracker = new OffsetTracker();
    tracker.accept('t', 0, '0');
    tracker.accept('t', 0, '1');
    tracker.settle('t', 0, '0');
    tracker.committed(tracker.committable());
    expect(tracker.committable()).toEqual([]);
    tracker.settle('t', 0, '1');
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: '2' }]);
  });

  it('skips records redelivered after a rejoin while they are still in the pipeline', () => {
    const tracker = new OffsetTracker();
    expect(tracker.accept('t', 0, '5')).toBe(true);
    expect(tracker.accept('t', 0, '6')).toBe(true);
    expect(tracker.accept('t', 0, '5')).toBe(false);
    expect(tracker.accept('t', 0, '7')).toBe(true);
  });

  it('forgets revoked partitions, and a late settle of theirs changes nothing', () => {
    const tracker = new OffsetTracker();
    tracker.accept('t', 0, '1');
    tracker.accept('t', 1, '1');
    tracker.retain({ t: [1] });
    tracker.settle('t', 0, '1');
    expect(tracker.committable()).toEqual([]);
    expect(tracker.pending).toBe(1);
    expect(tracker.accept('t', 0, '1')).toBe(true);
  });

  it('handles offsets beyond the safe integer range', () => {
    const tracker = new OffsetTracker();
    tracker.accept('t', 0, '9007199254740993');
    tracker.settle('t', 0, '9007199254740993');
    expect(tracker.committable()).toEqual([{ topic: 't', partition: 0, offset: '9007199254740994' }]);
  });
});
