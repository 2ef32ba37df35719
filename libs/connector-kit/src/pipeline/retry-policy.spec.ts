import { ConnectorError } from '../connector/connector.error';
import { countRefusal, decideRetry, parkDelayMs, type RetrySettings } from './retry-policy';

const settings: RetrySettings = {
  maxAttempts: 5,
  maxRefusedCalls: 12,
  inlineRetries: 2,
  inlineMaxDelayMs: 5_000,
  parkDelayInitialMs: 10_000,
  parkDelayMaxMs: 60_000,
};
const transient = new ConnectorError('transient', 'HTTP 500');
const unavailable = new ConnectorError('unavailable', 'HTTP 503');

describe('decideRetry', () => {
  it('dead-letters a rejection at once, with the CRM message', () => {
    const decision = decideRetry(
      {
        error: new ConnectorError('rejected', 'REQUIRED_FIELD_MISSING: LastName'),
        attempts: 1,
        refusedCalls: 0,
        inlineRetries: 0,
      },
      100,
      settings,
    );
    expect(decision).toEqual({
      action: 'dead-letter',
      kind: 'rejected_by_crm',
      reason: 'REQUIRED_FIELD_MISSING: LastName',
    });
  });

  it('retries in memory while retries and the wait are small', () => {
    expect(
      decideRetry({ error: transient, attempts: 1, refusedCalls: 0, inlineRetries: 0 }, 300, settings),
    ).toEqual({
      action: 'retry',
      delayMs: 300,
    });
  });

  it('never waits less than Retry-After', () => {
    const throttled = new ConnectorError('rate_limited', '429', { retryAfterMs: 2_000 });
    expect(
      decideRetry({ error: throttled, attempts: 1, refusedCalls: 0, inlineRetries: 0 }, 300, settings),
    ).toEqual({
      action: 'retry',
      delayMs: 2_000,
    });
  });

  it('waits the Retry-After, not a longer backoff the account had grown to', () => {
    const throttled = new ConnectorError('rate_limited', '429', { retryAfterMs: 1_000 });
    expect(
      decideRetry({ error: throttled, attempts: 1, refusedCalls: 0, inlineRetries: 0 }, 3_000, settings),
    ).toEqual({ action: 'retry', delayMs: 1_000 });
  });

  it('keeps retrying a refused call in memory after the in-memory retries of other failures are spent', () => {
    expect(
      decideRetry({ error: unavailable, attempts: 0, refusedCalls: 5, inlineRetries: 5 }, 300, settings),
    ).toEqual({
      action: 'retry',
      delayMs: 300,
    });
    expect(
      decideRetry({ error: transient, attempts: 3, refusedCalls: 0, inlineRetries: 2 }, 300, settings).action,
    ).toBe('park');
  });

  it('parks when the wait is long, for at least the Retry-After', () => {
    const throttled = new ConnectorError('rate_limited', '429', { retryAfterMs: 90_000 });
    expect(
      decideRetry({ error: throttled, attempts: 1, refusedCalls: 0, inlineRetries: 0 }, 300, settings),
    ).toEqual({
      action: 'park',
      delayMs: 90_000,
    });
  });

  it('parks once the in-memory retries are spent', () => {
    const decision = decideRetry(
      { error: transient, attempts: 3, refusedCalls: 0, inlineRetries: 2 },
      300,
      settings,
    );
    expect(decision.action).toBe('park');
  });

  it('parks for the initial delay after the in-memory retries, however many calls they took', () => {
    for (let run = 0; run < 20; run += 1) {
      const decision = decideRetry(
        { error: transient, attempts: 4, refusedCalls: 0, inlineRetries: 3 },
        300,
        {
          ...settings,
          inlineRetries: 3,
          maxAttempts: 8,
        },
      );
      expect(decision).toMatchObject({ action: 'park' });
      const { delayMs } = decision as { delayMs: number };
      expect(delayMs).toBeGreaterThanOrEqual(5_000);
      expect(delayMs).toBeLessThanOrEqual(10_000);
    }
  });

  it('parks authentication failures without retrying in memory', () => {
    const decision = decideRetry(
      { error: new ConnectorError('auth', '401'), attempts: 1, refusedCalls: 0, inlineRetries: 0 },
      10,
      settings,
    );
    expect(decision.action).toBe('park');
  });

  it('dead-letters after the maximum number of attempts, naming the last error', () => {
    expect(
      decideRetry({ error: transient, attempts: 5, refusedCalls: 0, inlineRetries: 0 }, 10, settings),
    ).toEqual({
      action: 'dead-letter',
      kind: 'retries_exhausted',
      reason: 'gave up after 5 attempts; last error (transient): HTTP 500',
    });
  });
});

describe('calls the CRM refused to process', () => {
  const refusals = [new ConnectorError('rate_limited', '429'), unavailable];

  it.each(refusals.map((error) => [error.kind, error]))(
    'moves a %s call from the attempts to the refused calls',
    (_kind, error) => {
      const record = { attempts: 3, refusedCalls: 1 };
      countRefusal(record, error);
      expect(record).toEqual({ attempts: 2, refusedCalls: 2 });
    },
  );

  it('leaves a call whose outcome is unknown among the attempts', () => {
    const record = { attempts: 3, refusedCalls: 1 };
    countRefusal(record, transient);
    expect(record).toEqual({ attempts: 3, refusedCalls: 1 });
  });

  it('keeps a record one attempt short of its limit through refused calls', () => {
    const decision = decideRetry(
      { error: unavailable, attempts: 4, refusedCalls: 11, inlineRetries: 0 },
      10,
      settings,
    );
    expect(decision).toEqual({ action: 'retry', delayMs: 10 });
  });

  it('dead-letters after the maximum number of refused calls, saying so', () => {
    expect(
      decideRetry({ error: unavailable, attempts: 0, refusedCalls: 12, inlineRetries: 0 }, 10, settings),
    ).toEqual({
      action: 'dead-letter',
      kind: 'retries_exhausted',
      reason: 'gave up after 12 calls the CRM refused to process; last error (unavailable): HTTP 503',
    });
  });

  it('doubles the stay on the retry topic with refused calls as with attempts', () => {
    const throttled = new ConnectorError('rate_limited', '429', { retryAfterMs: 10_000 });
    const decision = decideRetry(
      { error: throttled, attempts: 0, refusedCalls: 5, inlineRetries: 2 },
      10,
      settings,
    );
    expect(decision).toMatchObject({ action: 'park' });
    expect((decision as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(20_000);
  });
});

describe('parkDelayMs', () => {
  it('doubles per stay with half jitter, up to the maximum', () => {
    const delays = (stays: number) => Array.from({ length: 50 }, () => parkDelayMs(stays, settings));
    for (const [stays, full] of [
      [1, 10_000],
      [2, 20_000],
      [3, 40_000],
      [4, 60_000],
      [9, 60_000],
    ] as const) {
      for (const delay of delays(stays)) {
        expect(delay).toBeGreaterThanOrEqual(full / 2);
        expect(delay).toBeLessThanOrEqual(full);
      }
    }
  });
});
