import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OPERATOR } from './current-operator.decorator';
import { OperatorTokenGuard } from './operator-token.guard';
import { OperatorTokenStore, sha256Of, type OperatorScope } from './operator-tokens';
import { ProblemException } from './problem.exception';

const READER = 'reader-token-0123456789abcdef';
const ERASER = 'eraser-token-0123456789abcdef';
const hex = (token: string) => sha256Of(token).toString('hex');

const contextWith = (authorization: string | undefined) => {
  const request: Record<string | symbol, unknown> = {
    headers: authorization === undefined ? {} : { authorization },
  };
  return {
    request,
    context: {
      switchToHttp: () => ({ getRequest: () => request }),
      getHandler: () => undefined,
      getClass: () => Object,
    } as unknown as ExecutionContext,
  };
};

const problemOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).problem;
  }
  throw new Error('expected a problem');
};

describe('OperatorTokenGuard', () => {
  const tokens = new OperatorTokenStore([
    { name: 'dashboard', sha256: hex(READER), scopes: ['read'] },
    { name: 'privacy-desk', sha256: hex(ERASER), scopes: ['read', 'erase'] },
  ]);
  const guardFor = (scope?: OperatorScope | 'any') => {
    const reflector = new Reflector();
    jest.spyOn(reflector, 'getAllAndOverride').mockReturnValue(scope);
    return new OperatorTokenGuard(tokens, reflector);
  };

  it('lets a known token in and tells the route who it is', () => {
    const { request, context } = contextWith(`Bearer ${READER}`);
    expect(guardFor().canActivate(context)).toBe(true);
    expect(request[OPERATOR]).toMatchObject({ name: 'dashboard' });
    expect(guardFor().canActivate(contextWith(`bearer ${ERASER}`).context)).toBe(true);
  });

  it.each([
    ['no header', undefined, /required/],
    ['another scheme', `Basic ${READER}`, /required/],
    ['a wrong token', `Bearer ${READER}X`, /not valid/],
    ['a prefix of the token', `Bearer ${READER.slice(0, 10)}`, /not valid/],
  ])('refuses %s with a 401 problem', (_case, header, detail) => {
    expect(problemOf(() => guardFor().canActivate(contextWith(header).context))).toMatchObject({
      status: 401,
      detail: expect.stringMatching(detail),
    });
  });

  it('refuses a known token without the route scope with a 403 naming the token, not the token itself', () => {
    const problem = problemOf(() => guardFor('erase').canActivate(contextWith(`Bearer ${READER}`).context));
    expect(problem).toMatchObject({ status: 403, detail: expect.stringContaining('"dashboard"') });
    expect(JSON.stringify(problem)).not.toContain(READER);
    expect(guardFor('erase').canActivate(contextWith(`Bearer ${ERASER}`).context)).toBe(true);
  });

  it("lets any valid token into a route open to 'any' scope (the console's sign-in), never an unknown one", () => {
    const eraseOnly = new OperatorTokenStore([{ name: 'eraser', sha256: hex(ERASER), scopes: ['erase'] }]);
    const reflector = new Reflector();
    jest.spyOn(reflector, 'getAllAndOverride').mockReturnValue('any');
    const guard = new OperatorTokenGuard(eraseOnly, reflector);
    expect(guard.canActivate(contextWith(`Bearer ${ERASER}`).context)).toBe(true);
    expect(problemOf(() => guard.canActivate(contextWith(`Bearer ${READER}`).context))).toMatchObject({
      status: 401,
    });
  });
});
