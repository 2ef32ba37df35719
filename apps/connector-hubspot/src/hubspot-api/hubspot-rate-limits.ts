import type { RateLimitReport } from '@lead-delivery/connector-kit';

/** A header by its lower-case name, from fetch `Headers` or the SDK's plain object of them. */
export type HeaderLookup = (name: string) => string | null | undefined;

export const headersOf =
  (headers: Headers | Record<string, string> | undefined): HeaderLookup =>
  (name) =>
    headers instanceof Headers ? headers.get(name) : headers?.[name];

/**
 * HubSpot's rate-limit headers on a private app's answer, as the kit's neutral report: the app's ten-second
 * window (`X-HubSpot-RateLimit-Max`, `-Remaining`, `-Interval-Milliseconds`) and the portal's day
 * (`-Daily`, `-Daily-Remaining`). OAuth calls carry no daily ones, some endpoints none at all.
 */
export function hubspotRateLimitReport(header: HeaderLookup): RateLimitReport {
  const number = (name: string) => {
    const value = Number(header(`x-hubspot-ratelimit-${name}`) ?? Number.NaN);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const report: RateLimitReport = {};
  const [max, remaining, intervalMs] = [number('max'), number('remaining'), number('interval-milliseconds')];
  if (max !== undefined && remaining !== undefined && intervalMs !== undefined) {
    report.window = { max, remaining, intervalMs };
  }
  const [limit, dailyRemaining] = [number('daily'), number('daily-remaining')];
  if (limit !== undefined && dailyRemaining !== undefined)
    report.daily = { limit, remaining: dailyRemaining };
  return report;
}
