import { ConnectorError, retryAfterMs } from '@lead-delivery/connector-kit';
import { FollowupbossApiError } from './followupboss-api/followupboss-api.error';

/** What a failed Follow Up Boss call means for its lead. */
export function classifyFollowupbossFailure(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (!(error instanceof FollowupbossApiError)) {
    // No answer: a timeout, a reset connection, an unreachable host.
    return new ConnectorError('transient', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  const retryAfter = retryAfterMs(error.retryAfter);
  const waits = retryAfter === undefined ? {} : { retryAfterMs: retryAfter };
  if (error.status === 429) return new ConnectorError('rate_limited', error.message, waits);
  if (error.status === 503) return new ConnectorError('unavailable', error.message, waits);
  if (error.status >= 500 || error.status === 408)
    return new ConnectorError('transient', error.message, waits);
  // 403: a wrong key, or an expired account locked down (POST /v1/events still works in its grace period).
  if (error.status === 401 || error.status === 403) return new ConnectorError('auth', error.message);
  return new ConnectorError('rejected', error.message);
}
