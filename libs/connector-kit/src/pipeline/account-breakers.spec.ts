import { BrokenCircuitError } from 'cockatiel';
import { ConnectorError } from '../connector/connector.error';
import { AccountBreakers } from './account-breakers';

const ACCOUNT = 'acct-1';

describe('AccountBreakers', () => {
  let breakers: AccountBreakers;
  const answer = (error?: ConnectorError) =>
    breakers.execute(ACCOUNT, async () => {
      if (error) throw error;
      return 'ok';
    });
  /** Runs the calls in order; true for each call the breaker let through. */
  const run = async (errors: Array<ConnectorError | undefined>) => {
    for (const error of errors) {
      await answer(error).catch((thrown: unknown) => {
        if (thrown instanceof BrokenCircuitError) throw new Error('the breaker opened');
      });
    }
  };
  const transient = () =>
    Math.random() < 0.5
      ? new ConnectorError('rate_limited', '429', { retryAfterMs: 10 })
      : new ConnectorError('unavailable', '503');

  beforeEach(() => {
    breakers = new AccountBreakers({ threshold: 5, halfOpenMs: 60_000 }, () => undefined);
  });

  it('stays closed at a 20 % transient fault rate, unlucky streaks included', async () => {
    // 20 % of 300 calls fail, in streaks of up to 8 in a row (a ConsecutiveBreaker of 5 would open).
    const calls = Array.from({ length: 10 }, () => [
      ...Array.from({ length: 8 }, transient),
      ...Array.from({ length: 22 }, () => undefined),
    ]).flat();
    await expect(run(calls)).resolves.toBeUndefined();
    expect(breakers.openUntil(ACCOUNT, Date.now())).toBeUndefined();
  });

  it('opens when all of at least twice the threshold of calls failed transiently', async () => {
    await run(Array.from({ length: 9 }, transient));
    expect(breakers.openUntil(ACCOUNT, Date.now())).toBeUndefined();
    await answer(transient()).catch(() => undefined);
    expect(breakers.openUntil(ACCOUNT, Date.now())).toBeGreaterThan(Date.now());
    await expect(answer()).rejects.toBeInstanceOf(BrokenCircuitError);
  });

  it('opens after the threshold of consecutive auth failures', async () => {
    for (let call = 0; call < 5; call += 1) {
      await answer(new ConnectorError('auth', '401')).catch(() => undefined);
    }
    expect(breakers.openUntil(ACCOUNT, Date.now())).toBeGreaterThan(Date.now());
  });

  it('counts neither rejections of the data nor the failures of other accounts', async () => {
    await run(Array.from({ length: 20 }, () => new ConnectorError('rejected', '400')));
    for (let call = 0; call < 12; call += 1) {
      await breakers
        .execute('acct-2', async () => {
          throw new ConnectorError('auth', '401');
        })
        .catch(() => undefined);
    }
    expect(breakers.openUntil(ACCOUNT, Date.now())).toBeUndefined();
    expect(breakers.openUntil('acct-2', Date.now())).toBeDefined();
  });
});
