import { PartitionProgress } from './partition-progress';

describe('PartitionProgress', () => {
  let now = 0;
  const progress = () => new PartitionProgress(() => now);

  beforeEach(() => (now = 1_000_000));

  it('counts the time since the committed offset last moved while records wait', () => {
    const subject = progress();
    subject.fetched('t', 0, '10', '15');
    now += 4_000;
    expect(subject.stalls()).toEqual([{ topic: 't', partition: 0, lag: 5, stalledSeconds: 4 }]);

    subject.committed('t', 0, '12');
    now += 1_000;
    expect(subject.stalls()).toEqual([{ topic: 't', partition: 0, lag: 3, stalledSeconds: 1 }]);
  });

  it('is 0 once nothing waits, and starts counting when records arrive, not when the offset last moved', () => {
    const subject = progress();
    subject.fetched('t', 0, '0', '3');
    subject.committed('t', 0, '3');
    now += 3_600_000; // an hour without records
    expect(subject.stalls()).toEqual([{ topic: 't', partition: 0, lag: 0, stalledSeconds: 0 }]);

    subject.fetched('t', 0, '3', '4');
    now += 2_000;
    expect(subject.stalls()[0]?.stalledSeconds).toBe(2);
  });

  it('reports the partitions stalled longer than a timeout, longest first', () => {
    const subject = progress();
    subject.fetched('t', 0, '0', '1');
    now += 10_000;
    subject.fetched('t', 1, '0', '1');
    now += 5_000;
    subject.fetched('u', 0, '0', '0');
    expect(subject.stalledLongerThan(4_000).map(({ topic, partition }) => `${topic}/${partition}`)).toEqual([
      't/0',
      't/1',
    ]);
    expect(subject.stalledLongerThan(12_000)).toHaveLength(1);
  });

  it('forgets revoked partitions', () => {
    const subject = progress();
    subject.fetched('t', 0, '0', '1');
    subject.fetched('t', 1, '0', '1');
    subject.retain({ t: [1] });
    expect(subject.stalls().map(({ partition }) => partition)).toEqual([1]);
  });
});
