import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LOGGER } from '@lead-delivery/observability';
import type { Logger } from 'pino';
import { ProblemException, type ProblemDetails } from './problem.exception';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  415: 'Unsupported media type',
};

/** Every HTTP error of the gateway as RFC 9457 `application/problem+json`; unexpected errors are logged. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const adapter = this.adapterHost.httpAdapter;
    const response = http.getResponse();
    const answer = this.toProblem(exception);
    if ('passThrough' in answer) {
      adapter.reply(response, answer.passThrough, answer.status);
      return;
    }
    const { problem, headers } = answer;
    for (const [name, value] of Object.entries({ ...headers, 'Content-Type': 'application/problem+json' })) {
      adapter.setHeader(response, name, value);
    }
    // A string body: adapters replace the content type of object error bodies with application/json.
    const body = JSON.stringify({ ...problem, instance: adapter.getRequestUrl(http.getRequest()) });
    adapter.reply(response, body, problem.status);
  }

  private toProblem(
    exception: unknown,
  ): { problem: ProblemDetails; headers: Record<string, string> } | { passThrough: object; status: number } {
    if (exception instanceof ProblemException)
      return { problem: exception.problem, headers: exception.headers };
    if (
      exception instanceof HttpException &&
      exception.getStatus() >= 500 &&
      typeof exception.getResponse() === 'object'
    ) {
      // A deliberate 5xx with its own body, e.g. terminus's readiness report: keep it as it is.
      return { passThrough: exception.getResponse() as object, status: exception.getStatus() };
    }
    // Nest's own HTTP errors (404 of an unknown route...) and framework errors carrying a 4xx status.
    const status = exception instanceof HttpException ? exception.getStatus() : statusOf(exception);
    if (status !== undefined && status < 500) {
      return {
        problem: {
          type: 'about:blank',
          title: STATUS_TITLES[status] ?? 'Request error',
          status,
          detail: (exception as Error).message,
        },
        headers: {},
      };
    }
    this.logger.error({ err: exception }, 'unexpected error answering a request');
    return {
      problem: {
        type: 'about:blank',
        title: 'Internal error',
        status: 500,
        detail: 'An unexpected error occurred; it has been logged.',
      },
      headers: {},
    };
  }
}

function statusOf(error: unknown): number | undefined {
  const candidate =
    (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ??
    (error as { status?: unknown } | null)?.status;
  return typeof candidate === 'number' && candidate >= 400 && candidate < 600 ? candidate : undefined;
}
