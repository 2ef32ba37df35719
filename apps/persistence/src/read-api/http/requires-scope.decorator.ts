import { SetMetadata } from '@nestjs/common';
import type { OperatorScope } from './operator-tokens';

export const REQUIRED_SCOPE = Symbol('REQUIRED_SCOPE');

/** The scope a route needs; routes without it need `read`. `any`: every valid token, whatever its scopes. */
export const RequiresScope = (scope: OperatorScope | 'any') => SetMetadata(REQUIRED_SCOPE, scope);
