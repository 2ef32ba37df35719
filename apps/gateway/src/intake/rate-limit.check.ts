import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { Problems } from '../problems/problem.exception';
import { intakeContextOf } from './intake-context';
import { TokenBucket } from './token-bucket';

/**
 * Per-account rate limit (429 with Retry-After), before the body is read. The buckets live in this
 * process: with N gateway replicas an account gets up to N times its limit.
 */
@Injectable()
export class RateLimitCheck {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly metrics: GatewayMetrics) {}

  admit(request: IncomingMessage): void {
    const { account } = intakeContextOf(request);
    const now = Date.now();
    let bucket = this.buckets.get(account.id);
    if (!bucket) {
      bucket = new TokenBucket(account.rateLimit.requestsPerSecond, account.rateLimit.burst, now);
      this.buckets.set(account.id, bucket);
    }
    const result = bucket.take(now);
    if (!result.allowed) {
      this.metrics.lead('rate_limited');
      throw Problems.rateLimited(result.retryAfterSeconds);
    }
  }
}
