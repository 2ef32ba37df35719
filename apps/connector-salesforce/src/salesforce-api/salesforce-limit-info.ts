import type { RateLimitReport } from '@lead-delivery/connector-kit';

/**
 * `Sforce-Limit-Info: api-usage=18/5000` (calls used / allocation over the org's rolling 24 h; newer orgs add
 * segments such as `api-bursts=…`) as the kit's neutral report. Salesforce has no short window to report.
 */
export function salesforceLimitReport(header: string | null | undefined): RateLimitReport {
  const match = /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  if (!match) return {};
  const [used, limit] = [Number(match[1]), Number(match[2])];
  return limit > 0 ? { daily: { limit, remaining: Math.max(0, limit - used) } } : {};
}
