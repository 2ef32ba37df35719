import { traceHttpRoute } from '@lead-delivery/observability';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answeringProblems } from '../problems/write-problem';
import { ApiKeyCheck } from './api-key.check';
import { RateLimitCheck } from './rate-limit.check';
import { RequestBodyReader } from './request-body.reader';

/**
 * Everything before the controller of `POST /lead-delivery`, in one middleware: the request's span first
 * (so refusals are traced too), then API key and rate limit before the body is read, then the body. One
 * framework middleware layer instead of four: each layer costs a route match, a proxy closure and a
 * promise per request under Nest.
 */
@Injectable()
export class LeadIntakeMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  private readonly trace = traceHttpRoute('/lead-delivery');

  constructor(
    private readonly apiKey: ApiKeyCheck,
    private readonly rateLimit: RateLimitCheck,
    private readonly body: RequestBodyReader,
  ) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): Promise<void> {
    // The span middleware calls its continuation synchronously, inside the span's context.
    let admitted: Promise<void> = Promise.resolve();
    this.trace(request, response, () => {
      admitted = this.admit(request, response, next);
    });
    return admitted;
  }

  private async admit(request: IncomingMessage, response: ServerResponse, next: () => void): Promise<void> {
    const passed = await answeringProblems(request, response, () => {
      this.apiKey.authenticate(request);
      this.rateLimit.admit(request);
      return this.body.read(request);
    });
    if (passed) next();
  }
}
