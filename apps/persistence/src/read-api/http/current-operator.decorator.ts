import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Operator } from './operator-tokens';

export const OPERATOR = Symbol('OPERATOR');

/** The operator the guard authenticated for this request. */
export const CurrentOperator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Operator =>
    context.switchToHttp().getRequest<{ [OPERATOR]: Operator }>()[OPERATOR],
);
