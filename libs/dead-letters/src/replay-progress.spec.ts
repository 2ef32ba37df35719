import { decodeProgress, emptyProgress, encodeMetadata, isReplayed, markReplayed } from './replay-progress';

describe('replay progress', () => {
  it('moves the committed offset over a contiguous replayed prefix and keeps the gaps', () => {
    let progress = markReplayed(emptyProgress(), [5n, 6n, 9n]);
    expect(progress).toEqual({
      committed: 0n,
      ranges: [
        [5n, 6n],
        [9n, 9n],
      ],
    });
    progress = markReplayed(progress, [0n, 1n, 2n, 3n, 4n]);
    expect(progress).toEqual({ committed: 7n, ranges: [[9n, 9n]] });
    expect([6n, 7n, 8n, 9n, 10n].map((offset) => isReplayed(progress, offset))).toEqual([
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  it('merges adjacent and overlapping ranges without changing the input', () => {
    const before = { committed: 0n, ranges: [[3n, 4n]] as Array<[bigint, bigint]> };
    const after = markReplayed(before, [5n, 4n, 8n, 7n, 6n]);
    expect(after.ranges).toEqual([[3n, 8n]]);
    expect(before.ranges).toEqual([[3n, 4n]]);
  });

  it('round-trips through the commit metadata', () => {
    const progress = markReplayed({ committed: 10n, ranges: [] }, [12n, 13n, 20n]);
    expect(decodeProgress('10', encodeMetadata(progress))).toEqual(progress);
  });

  it('reads "nothing committed" as nothing replayed, and refuses metadata it does not know', () => {
    expect(decodeProgress('-1', null)).toEqual(emptyProgress());
    expect(() => decodeProgress('3', 'someone else')).toThrow();
    expect(() => decodeProgress('3', '{"v":2}')).toThrow(/unknown format/);
  });
});
