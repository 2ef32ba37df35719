import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StatsWindow } from './delivery-stats.reader';

export const SERIES_BUCKETS = ['hour', 'day'] as const;
export type SeriesBucket = (typeof SERIES_BUCKETS)[number];

/** Speed-to-lead within 5 minutes: the platform's promise to an agent. */
export const WITHIN_MS = 5 * 60 * 1000;

interface PointRow {
  bucket: Date;
  destination: string;
  total: number;
  pending: number;
  delivered: number;
  failed: number;
  dead_lettered: number;
  skipped: number;
  suppressed: number;
  measured: number;
  within: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

// Per UTC hour or day of the lead timestamp and per destination: outcomes, speed-to-lead percentiles of
// the delivered ones, and how many of all the deliveries were delivered within WITHIN_MS.
const SERIES = `
  SELECT date_trunc($5, lead_timestamp, 'UTC') AS bucket, destination,
    count(*)::int AS total,
    count(*) FILTER (WHERE status = 'pending')::int AS pending,
    count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
    count(*) FILTER (WHERE status = 'failed')::int AS failed,
    count(*) FILTER (WHERE status = 'dead_lettered')::int AS dead_lettered,
    count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
    count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed,
    count(speed_to_lead_ms)::int AS measured,
    count(*) FILTER (WHERE speed_to_lead_ms <= $6)::int AS within,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY speed_to_lead_ms) AS p50,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY speed_to_lead_ms) AS p90,
    percentile_cont(0.99) WITHIN GROUP (ORDER BY speed_to_lead_ms) AS p99
  FROM crm_deliveries
  WHERE lead_timestamp >= $1 AND lead_timestamp < $2
    AND ($3::text IS NULL OR account_id = $3)
    AND ($4::text IS NULL OR destination = $4)
  GROUP BY 1, 2
  ORDER BY 1, 2`;

const round = (value: number | null) => (value === null ? null : Math.round(value));

@Injectable()
export class DeliverySeriesReader {
  constructor(private readonly dataSource: DataSource) {}

  async series({ since, until, account, destination }: StatsWindow, bucket: SeriesBucket) {
    const rows = await this.dataSource.query<PointRow[]>(SERIES, [
      since,
      until,
      account ?? null,
      destination ?? null,
      bucket,
      WITHIN_MS,
    ]);
    return {
      since: since.toISOString(),
      until: until.toISOString(),
      bucket,
      points: rows.map((row) => ({
        bucket: new Date(row.bucket).toISOString(),
        destination: row.destination,
        total: row.total,
        pending: row.pending,
        delivered: row.delivered,
        failed: row.failed,
        dead_lettered: row.dead_lettered,
        skipped: row.skipped,
        suppressed: row.suppressed,
        measured: row.measured,
        p50: round(row.p50),
        p90: round(row.p90),
        p99: round(row.p99),
        within_5_min_share: row.total === 0 ? null : row.within / row.total,
      })),
    };
  }
}
