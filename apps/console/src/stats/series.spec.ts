import type { SeriesPoint } from '../api/read-api.types';
import { destinationsOf, outcomesByBucket, percent } from './series';

const point = (bucket: string, destination: string, counts: Partial<SeriesPoint>): SeriesPoint => ({
  bucket,
  destination,
  total: 0,
  delivered: 0,
  failed: 0,
  dead_lettered: 0,
  skipped: 0,
  suppressed: 0,
  pending: 0,
  p50: null,
  p90: null,
  p99: null,
  within_5_min_share: null,
  ...counts,
});

describe('speed-to-lead series', () => {
  const points = [
    point('2026-12-05T00:00:00.000Z', 'salesforce', { delivered: 3, failed: 1 }),
    point('2026-12-04T00:00:00.000Z', 'hubspot', { delivered: 2, dead_lettered: 1 }),
    point('2026-12-05T00:00:00.000Z', 'hubspot', { delivered: 4, pending: 2 }),
    point('2026-12-05T00:00:00.000Z', 'followupboss', { skipped: 1 }),
    point('2026-12-04T00:00:00.000Z', 'salesforce', { suppressed: 2 }),
  ];

  it('adds outcomes of every destination per day, oldest first', () => {
    expect(outcomesByBucket(points)).toEqual([
      {
        bucket: '2026-12-04T00:00:00.000Z',
        delivered: 2,
        failed: 0,
        dead_lettered: 1,
        skipped: 0,
        suppressed: 2,
        pending: 0,
      },
      {
        bucket: '2026-12-05T00:00:00.000Z',
        delivered: 7,
        failed: 1,
        dead_lettered: 0,
        skipped: 1,
        suppressed: 0,
        pending: 2,
      },
    ]);
  });

  it('names each destination once, sorted', () => {
    expect(destinationsOf(points)).toEqual(['followupboss', 'hubspot', 'salesforce']);
  });

  it('shows a share as a percentage with one decimal', () => {
    expect(percent(0.98765)).toBe(98.8);
    expect(percent(null)).toBeNull();
  });
});
