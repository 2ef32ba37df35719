import { RetryBackoff } from './retry-backoff';

describe('RetryBackoff', () => {
  const settings = { backoffInitialMs: 100, backoffMaxMs: 10_000 };

  it("grows an account's delay with each failed call in a row, up to the maximum", () => {
    const backoff = new RetryBackoff(settings);
    const delays = Array.from({ length: 12 }, () => backoff.nextFor('a'));
    expect(delays.every((delay) => delay >= 0 && delay <= settings.backoffMaxMs)).toBe(true);
    expect(Math.max(...delays.slice(6))).toBeGreaterThan(Math.max(...delays.slice(0, 2)));
  });

  it('keeps the accounts apart and starts again after a success', () => {
    const backoff = new RetryBackoff(settings);
    for (let call = 0; call < 10; call += 1) backoff.nextFor('a');
    expect(backoff.nextFor('b')).toBeLessThanOrEqual(4 * settings.backoffInitialMs);
    backoff.reset('a');
    expect(backoff.nextFor('a')).toBeLessThanOrEqual(4 * settings.backoffInitialMs);
  });

  it('gives the delay of the n-th consecutive retry', () => {
    const backoff = new RetryBackoff(settings);
    expect(backoff.delayOf(1)).toBeLessThanOrEqual(4 * settings.backoffInitialMs);
    expect(backoff.delayOf(30)).toBeLessThanOrEqual(settings.backoffMaxMs);
    expect(backoff.delayOf(30)).toBeGreaterThan(settings.backoffInitialMs);
  });
});
