import type { ExecutionContext } from '@nestjs/common';
import { OperatorTokenGuard } from './operator-token.guard';
import { ProblemException } from './problem.exception';

const TOKEN = 'operator-token-0123456789abcdef';
const contextWith = (authorization?: string) =>
  ({
    switchToHttp: () => ({
      getRequest: () => ({ headers: authorization === undefined ? {} : { authorization } }),
    }),
  }) as unknown as ExecutionContext;

describe('OperatorTokenGuard', () => {
  const guard = new OperatorTokenGuard(TOKEN);

  it('lets a request with the bearer token in', () => {
    expect(guard.canActivate(contextWith(`Bearer ${TOKEN}`))).toBe(true);
    expect(guard.canActivate(contextWith(`bearer ${TOKEN}`))).toBe(true);
  });

  it.each([
    ['no header', undefined, /required/],
    ['another scheme', `Basic ${TOKEN}`, /required/],
    ['a wrong token', 'Bearer operator-token-0123456789abcdeX', /not valid/],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, 10)}`, /not valid/],
  ])('refuses %s with a 401 problem', (_case, header, detail) => {
    let thrown: unknown;
    try {
      guard.canActivate(contextWith(header));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).problem).toMatchObject({
      status: 401,
      detail: expect.stringMatching(detail),
    });
  });
});
