import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refuses with the wait until the next token', () => {
    const bucket = new TokenBucket(2, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)].every((result) => result.allowed)).toBe(true);
    expect(bucket.take(0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the configured rate and never beyond the burst', () => {
    const bucket = new TokenBucket(2, 3, 0);
    for (let i = 0; i < 3; i++) bucket.take(0);
    expect(bucket.take(500).allowed).toBe(true); // one token after 0.5 s at 2/s
    expect(bucket.take(500).allowed).toBe(false);
    const later = new TokenBucket(2, 3, 0);
    for (let i = 0; i < 3; i++) later.take(0);
    const allowedAfterAnHour = Array.from({ length: 5 }, () => later.take(3_600_000).allowed);
    expect(allowedAfterAnHour).toEqual([true, true, true, false, false]);
  });

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const bucket = new TokenBucket(0.1, 1, 0);
    bucket.take(0);
    expect(bucket.take(0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});
