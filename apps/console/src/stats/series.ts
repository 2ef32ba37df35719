import type { SeriesPoint } from '../api/read-api.types';

export const destinationsOf = (points: SeriesPoint[]) =>
  [...new Set(points.map((point) => point.destination))].sort();

/** Outcome totals per bucket over every destination. */
export function outcomesByBucket(points: SeriesPoint[]) {
  const rows = new Map<
    string,
    {
      bucket: string;
      delivered: number;
      failed: number;
      dead_lettered: number;
      skipped: number;
      suppressed: number;
      pending: number;
    }
  >();
  for (const point of points) {
    const row = rows.get(point.bucket) ?? {
      bucket: point.bucket,
      delivered: 0,
      failed: 0,
      dead_lettered: 0,
      skipped: 0,
      suppressed: 0,
      pending: 0,
    };
    row.delivered += point.delivered;
    row.failed += point.failed;
    row.dead_lettered += point.dead_lettered;
    row.skipped += point.skipped;
    row.suppressed += point.suppressed;
    row.pending += point.pending;
    rows.set(point.bucket, row);
  }
  return [...rows.values()].sort((a, b) => a.bucket.localeCompare(b.bucket));
}

export const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
