import { headersOf, hubspotRateLimitReport } from './hubspot-rate-limits';

describe('hubspotRateLimitReport', () => {
  it('reads the ten-second window and the daily limit', () => {
    const headers = new Headers({
      'X-HubSpot-RateLimit-Max': '190',
      'X-HubSpot-RateLimit-Remaining': '187',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Daily': '650000',
      'X-HubSpot-RateLimit-Daily-Remaining': '649000',
    });
    expect(hubspotRateLimitReport(headersOf(headers))).toEqual({
      window: { max: 190, remaining: 187, intervalMs: 10_000 },
      daily: { limit: 650_000, remaining: 649_000 },
    });
  });

  it("reads the SDK's lower-case header object, and leaves out what is missing or unreadable", () => {
    expect(
      hubspotRateLimitReport(
        headersOf({ 'x-hubspot-ratelimit-daily': '250000', 'x-hubspot-ratelimit-daily-remaining': '12' }),
      ),
    ).toEqual({ daily: { limit: 250_000, remaining: 12 } });
    expect(
      hubspotRateLimitReport(
        headersOf({ 'x-hubspot-ratelimit-max': 'lots', 'x-hubspot-ratelimit-remaining': '3' }),
      ),
    ).toEqual({});
    expect(hubspotRateLimitReport(headersOf(undefined))).toEqual({});
  });
});
