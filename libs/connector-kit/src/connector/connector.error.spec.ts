import { ConnectorError, retryAfterMs } from './connector.error';

describe('retryAfterMs', () => {
  it('reads delta-seconds', () => {
    expect(retryAfterMs('10')).toBe(10_000);
    expect(retryAfterMs(' 0.5 ')).toBe(500);
  });

  it('reads an HTTP date, relative to now', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(retryAfterMs('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('ConnectorError', () => {
  it('is retryable unless the CRM rejected the data, and scoped to the account by default', () => {
    expect(new ConnectorError('transient', 'x').retryable).toBe(true);
    expect(new ConnectorError('rejected', 'x').retryable).toBe(false);
    expect(new ConnectorError('rate_limited', 'x', { retryAfterMs: -5 })).toMatchObject({
      scope: 'account',
      retryAfterMs: 0,
    });
  });
});
