import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { toDatabaseError } from '@lead-delivery/database';
import { ProblemException, type Problem } from './problem.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Every error of the read API as an RFC 9457 problem; unexpected ones are logged without their SQL parameters. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const http = host.switchToHttp();
    const response = http.getResponse<unknown>();
    const problem = { ...this.problemOf(exception), instance: httpAdapter.getRequestUrl(http.getRequest()) };
    if (problem.status === 401)
      httpAdapter.setHeader(response, 'WWW-Authenticate', 'Bearer realm="persistence"');
    httpAdapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    httpAdapter.reply(response, JSON.stringify(problem), problem.status);
  }

  private problemOf(exception: unknown): Problem {
    if (exception instanceof ProblemException) return exception.problem;
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body !== null && 'message' in body
          ? (body as { message: unknown }).message
          : body;
      return {
        type: 'about:blank',
        title: exception.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
        status: exception.getStatus(),
        detail: Array.isArray(message) ? message.join('; ') : String(message),
      };
    }
    this.logger.error({ err: toDatabaseError(exception) }, 'read API request failed');
    return { type: 'about:blank', title: 'Internal Server Error', status: 500 };
  }
}
