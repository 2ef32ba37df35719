import type { RateLimitReport } from '@lead-delivery/connector-kit';

/**
 * Follow Up Boss's rate-limit headers as the kit's neutral report: `X-RateLimit-Limit` calls per sliding
 * `X-RateLimit-Window` seconds, `X-RateLimit-Remaining` left. Each endpoint counts in one context
 * (`X-RateLimit-Context`): POST /v1/events in its own, reads in `global` or `events`.
 */
export function followupbossRateLimitReport(headers: Headers): RateLimitReport {
  const number = (name: string) => {
    const value = Number(headers.get(`x-ratelimit-${name}`) ?? Number.NaN);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const [max, remaining, windowSeconds] = [number('limit'), number('remaining'), number('window')];
  return max !== undefined && remaining !== undefined && windowSeconds !== undefined && windowSeconds > 0
    ? { window: { max, remaining, intervalMs: windowSeconds * 1000 } }
    : {};
}
