import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { OPERATOR } from './current-operator.decorator';
import type { Operator, OperatorScope, OperatorTokenStore } from './operator-tokens';
import { ProblemException } from './problem.exception';
import { REQUIRED_SCOPE } from './requires-scope.decorator';

/**
 * `Authorization: Bearer <token>` on every read-API route: an unknown token is a 401, a known one without
 * the route's scope (`read` unless the route says otherwise) a 403.
 */
@Injectable()
export class OperatorTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: OperatorTokenStore,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage & { [OPERATOR]?: Operator }>();
    const presented = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const operator = presented === undefined ? undefined : this.tokens.authenticate(presented);
    if (!operator) {
      throw new ProblemException({
        status: 401,
        title: 'Unauthorized',
        detail:
          presented === undefined
            ? 'An operator token is required: Authorization: Bearer <token>.'
            : 'The operator token is not valid.',
      });
    }
    const scope =
      this.reflector.getAllAndOverride<OperatorScope | 'any' | undefined>(REQUIRED_SCOPE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'read';
    if (scope !== 'any' && !operator.scopes.has(scope)) {
      throw new ProblemException({
        status: 403,
        title: 'Forbidden',
        detail: `The operator token "${operator.name}" does not have the "${scope}" scope.`,
      });
    }
    request[OPERATOR] = operator;
    return true;
  }
}
