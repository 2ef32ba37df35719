import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('lets a burst through, then paces calls at the rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)]).toEqual([0, 0, 0]);
    expect(bucket.tryTake(0)).toBe(100);
    expect(bucket.tryTake(50)).toBe(50);
    expect(bucket.tryTake(100)).toBe(0);
    expect(bucket.tryTake(100)).toBe(100);
  });

  it('saves up at most the burst while idle', () => {
    const bucket = new TokenBucket(1, 2, 0);
    bucket.tryTake(0);
    bucket.tryTake(0);
    const waits = [60_000, 60_000, 60_000].map((now) => bucket.tryTake(now));
    expect(waits).toEqual([0, 0, 1_000]);
  });

  it('handles rates below one call a second', () => {
    const bucket = new TokenBucket(0.5, 1, 0);
    expect(bucket.tryTake(0)).toBe(0);
    expect(bucket.tryTake(0)).toBe(2_000);
    expect(bucket.tryTake(2_000)).toBe(0);
  });

  it('refuses a rate or burst that could never give a token', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0, 0)).toThrow(RangeError);
  });
});
