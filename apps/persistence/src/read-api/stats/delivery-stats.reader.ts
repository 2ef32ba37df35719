import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StatsWindow {
  since: Date;
  until: Date;
  account?: string;
  destination?: string;
}

interface DestinationRow {
  destination: string;
  total: number;
  pending: number;
  delivered: number;
  failed: number;
  dead_lettered: number;
  skipped: number;
  suppressed: number;
  measured: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

// Deliveries of the leads whose timestamp is in the window: each one's current status, and the
// speed-to-lead (first delivery − lead timestamp) percentiles of the delivered ones.
const BY_DESTINATION = `
  SELECT destination,
    count(*)::int AS total,
    count(*) FILTER (WHERE status = 'pending')::int AS pending,
    count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
    count(*) FILTER (WHERE status = 'failed')::int AS failed,
    count(*) FILTER (WHERE status = 'dead_lettered')::int AS dead_lettered,
    count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
    count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed,
    count(speed_to_lead_ms)::int AS measured,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY speed_to_lead_ms) AS p50,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY speed_to_lead_ms) AS p90,
    percentile_cont(0.99) WITHIN GROUP (ORDER BY speed_to_lead_ms) AS p99
  FROM crm_deliveries
  WHERE lead_timestamp >= $1 AND lead_timestamp < $2
    AND ($3::text IS NULL OR account_id = $3)
    AND ($4::text IS NULL OR destination = $4)
  GROUP BY destination
  ORDER BY destination`;

const LEADS_IN_WINDOW = `
  SELECT count(*)::int AS leads FROM leads
  WHERE lead_timestamp >= $1 AND lead_timestamp < $2 AND ($3::text IS NULL OR account_id = $3)`;

const round = (value: number | null) => (value === null ? null : Math.round(value));

@Injectable()
export class DeliveryStatsReader {
  constructor(private readonly dataSource: DataSource) {}

  async stats({ since, until, account, destination }: StatsWindow) {
    const [rows, [leads]] = await Promise.all([
      this.dataSource.query<DestinationRow[]>(BY_DESTINATION, [
        since,
        until,
        account ?? null,
        destination ?? null,
      ]),
      this.dataSource.query<Array<{ leads: number }>>(LEADS_IN_WINDOW, [since, until, account ?? null]),
    ]);
    return {
      since: since.toISOString(),
      until: until.toISOString(),
      leads: leads?.leads ?? 0,
      destinations: rows.map((row) => ({
        destination: row.destination,
        total: row.total,
        outcomes: {
          pending: row.pending,
          delivered: row.delivered,
          failed: row.failed,
          dead_lettered: row.dead_lettered,
          skipped: row.skipped,
          suppressed: row.suppressed,
        },
        speed_to_lead_ms: {
          count: row.measured,
          p50: round(row.p50),
          p90: round(row.p90),
          p99: round(row.p99),
        },
      })),
    };
  }
}
