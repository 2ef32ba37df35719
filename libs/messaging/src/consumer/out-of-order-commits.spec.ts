import { silentLogger } from '../messaging-logger';
import type { ConsumedRecord } from './consumed-record';
import type { TopicPartitionOffset } from './offset-tracker';
import { OutOfOrderCommits } from './out-of-order-commits';

const record = (offset: string, partition = 0): ConsumedRecord => ({
  topic: 't',
  partition,
  offset,
  key: null,
  value: null,
  headers: {},
  timestamp: '0',
});

/** Lets pending promise jobs run. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('OutOfOrderCommits', () => {
  let committed: TopicPartitionOffset[][];
  let commit: jest.Mock<Promise<void>, [TopicPartitionOffset[]]>;
  let canCommit: boolean;
  let commits: OutOfOrderCommits;

  beforeEach(() => {
    committed = [];
    canCommit = true;
    commit = jest.fn(async (offsets: TopicPartitionOffset[]) => void committed.push(offsets));
    commits = new OutOfOrderCommits({
      groupId: 'g',
      commit,
      canCommit: () => canCommit,
      logger: silentLogger,
      retryMs: 10,
    });
  });

  afterEach(() => jest.useRealTimers());

  it('commits the settled prefix of a partition as records settle out of order', async () => {
    const [r0, r1, r2] = ['0', '1', '2'].map((offset) => record(offset));
    [r0, r1, r2].forEach((r) => commits.accept(r as ConsumedRecord));
    expect(commits.pending).toBe(3);

    commits.settle(r1 as ConsumedRecord);
    await flushed();
    expect(committed).toEqual([]);

    commits.settle(r0 as ConsumedRecord);
    await flushed();
    expect(committed).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
    expect(commits.pending).toBe(1);
  });

  it('commits a prefix completed in the same turn as a settle that completed none', async () => {
    const records = ['0', '1'].map((offset) => record(offset));
    records.forEach((r) => commits.accept(r));
    commits.settle(records[1] as ConsumedRecord);
    commits.settle(records[0] as ConsumedRecord);
    await flushed();
    expect(committed).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
  });

  it('skips a record accepted before (redelivered after a rejoin)', () => {
    expect(commits.accept(record('0'))).toBe(true);
    expect(commits.accept(record('0'))).toBe(false);
    expect(commits.pending).toBe(1);
  });

  it('coalesces the settles that arrive during a commit into one more commit', async () => {
    let release: () => void = () => undefined;
    commit.mockImplementationOnce(async (offsets) => {
      committed.push(offsets);
      await new Promise<void>((resolve) => (release = resolve));
    });
    const records = ['0', '1', '2', '3'].map((offset) => record(offset));
    records.forEach((r) => commits.accept(r));
    commits.settle(records[0] as ConsumedRecord);
    await flushed();
    commits.settle(records[1] as ConsumedRecord);
    commits.settle(records[2] as ConsumedRecord);
    commits.settle(records[3] as ConsumedRecord);
    release();
    await commits.flush();

    expect(committed.map((offsets) => offsets.map((o) => o.offset))).toEqual([['1'], ['4']]);
  });

  it('retries a failed commit later', async () => {
    commit.mockRejectedValueOnce(new Error('coordinator not available'));
    const r0 = record('0');
    commits.accept(r0);
    commits.settle(r0);
    await flushed();
    expect(committed).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(committed).toEqual([[{ topic: 't', partition: 0, offset: '1' }]]);
  });

  it('commits nothing while the consumer cannot, and forgets revoked partitions', async () => {
    canCommit = false;
    const [a, b] = [record('0', 0), record('0', 1)];
    commits.accept(a);
    commits.accept(b);
    commits.settle(a);
    await commits.flush();
    expect(commit).not.toHaveBeenCalled();

    commits.retain({ t: [0] });
    expect(commits.pending).toBe(0);
    canCommit = true;
    await commits.flush();
    expect(committed).toEqual([[{ topic: 't', partition: 0, offset: '1' }]]);
  });
});
