/**
 * Which dead letters of one partition have been replayed: every offset below `committed`, plus the
 * ranges above it (replays filtered by lead or time leave gaps). Stored as the committed offset and
 * metadata of the consumer group `dlq-replay.<dlq topic>`, so a replay is never repeated.
 */
export interface PartitionProgress {
  committed: bigint;
  /** Inclusive, sorted, disjoint, all >= committed. */
  ranges: Array<[bigint, bigint]>;
}

const METADATA_VERSION = 1;

export const emptyProgress = (): PartitionProgress => ({ committed: 0n, ranges: [] });

export function isReplayed(progress: PartitionProgress, offset: bigint): boolean {
  return offset < progress.committed || progress.ranges.some(([from, to]) => offset >= from && offset <= to);
}

/** Adds offsets, merges ranges, and moves `committed` over a range that starts at it. */
export function markReplayed(progress: PartitionProgress, offsets: bigint[]): PartitionProgress {
  return addRanges(
    progress,
    offsets.map((offset): [bigint, bigint] => [offset, offset]),
  );
}

function addRanges(progress: PartitionProgress, ranges: Array<[bigint, bigint]>): PartitionProgress {
  const all = [...progress.ranges, ...ranges]
    .map(([from, to]): [bigint, bigint] => [from, to])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const merged: Array<[bigint, bigint]> = [];
  for (const [from, to] of all) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1n) last[1] = to > last[1] ? to : last[1];
    else merged.push([from, to]);
  }
  let committed = progress.committed;
  while (merged.length > 0 && (merged[0] as [bigint, bigint])[0] <= committed) {
    const [, to] = merged.shift() as [bigint, bigint];
    if (to + 1n > committed) committed = to + 1n;
  }
  return { committed, ranges: merged };
}

export function encodeMetadata(progress: PartitionProgress): string {
  return JSON.stringify({
    v: METADATA_VERSION,
    replayed: progress.ranges.map(([from, to]) => [String(from), String(to)]),
  });
}

/** Reads what `encodeMetadata` wrote; a committed offset of -1 (nothing committed) means none replayed. */
export function decodeProgress(offset: string, metadata: string | null): PartitionProgress {
  const committed = BigInt(offset) < 0n ? 0n : BigInt(offset);
  if (!metadata) return { committed, ranges: [] };
  const parsed = JSON.parse(metadata) as { v?: number; replayed?: Array<[string, string]> };
  if (parsed.v !== METADATA_VERSION || !Array.isArray(parsed.replayed)) {
    throw new Error(`replay progress metadata of an unknown format: ${metadata.slice(0, 80)}`);
  }
  return addRanges(
    { committed, ranges: [] },
    parsed.replayed.map(([from, to]): [bigint, bigint] => [BigInt(from), BigInt(to)]),
  );
}
