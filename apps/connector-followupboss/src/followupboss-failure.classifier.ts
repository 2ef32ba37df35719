import { ConnectorError, retryAfterMs } from '@lead-delivery/connector-kit';
import type { UpsertResult } from './followupboss-api/followupboss-api.client';
import { FollowupbossApiError } from './followupboss-api/followupboss-api.error';

/** What a failed Follow Up Boss call means for its leads. */
export function classifyFollowupbossFailure(error: unknown): ConnectorError {
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
  if (error.status === 401 || error.status === 403) return new ConnectorError('auth', error.message);
  return new ConnectorError('rejected', error.message);
}

/** What one record's failure in a batch answer means for its lead. */
export function classifyRecordFailure(result: UpsertResult | undefined): ConnectorError {
  const error = result?.error;
  return error
    ? new ConnectorError('rejected', `${error.code}: ${error.message}`)
    : new ConnectorError('transient', 'Follow Up Boss reported a failure without an error');
}
