import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ProblemException } from './problem.exception';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** `Authorization: Bearer <OPERATOR_TOKEN>` on every read-API route, compared in constant time. */
@Injectable()
export class OperatorTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(token: string) {
    // Digests have one length whatever the token's, so the comparison leaks neither content nor length.
    this.expected = digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<IncomingMessage>().headers.authorization ?? '';
    const presented = /^Bearer +(\S+)$/i.exec(header)?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), this.expected)) return true;
    throw new ProblemException({
      status: 401,
      title: 'Unauthorized',
      detail:
        presented === undefined
          ? 'An operator token is required: Authorization: Bearer <token>.'
          : 'The operator token is not valid.',
    });
  }
}
