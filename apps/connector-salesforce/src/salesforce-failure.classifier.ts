import { ConnectorError, retryAfterMs } from '@lead-delivery/connector-kit';
import type { SaveResult } from './salesforce-api/salesforce-api.client';
import { SalesforceApiError, SalesforceNetworkError } from './salesforce-api/salesforce-api.error';

/** How long to wait on REQUEST_LIMIT_EXCEEDED without a Retry-After: the daily allocation rolls over 24 h. */
export const DAILY_LIMIT_WAIT_MS = 15 * 60_000;
export const CONCURRENT_LIMIT_WAIT_MS = 20_000;
const TRANSIENT_RECORD_ERRORS = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  // A Composite subrequest not run because of another one (the Tasks of a call where a Lead failed).
  'PROCESSING_HALTED',
]);

/** What a failed Salesforce call means for its leads. */
export function classifySalesforceFailure(error: unknown): ConnectorError {
  if (error instanceof SalesforceNetworkError) {
    return new ConnectorError(error.reason === 'unreachable' ? 'unavailable' : 'transient', error.message, {
      cause: error,
    });
  }
  if (!(error instanceof SalesforceApiError)) {
    return new ConnectorError('transient', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  const retryAfter = retryAfterMs(error.retryAfter);
  const waits = retryAfter === undefined ? {} : { retryAfterMs: retryAfter };
  const { status, errorCode, message } = error;
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    // 403, not 429: the org's rolling 24-hour allocation, or too many long-running requests at once.
    const daily = /TotalRequests/i.test(message);
    return new ConnectorError('rate_limited', message, {
      retryAfterMs: retryAfter ?? (daily ? DAILY_LIMIT_WAIT_MS : CONCURRENT_LIMIT_WAIT_MS),
      scope: daily && error.sharedOrg ? 'destination' : 'account',
    });
  }
  if (status === 429) return new ConnectorError('rate_limited', message, waits);
  if (status === 503 || errorCode === 'HTML_RESPONSE')
    return new ConnectorError('unavailable', message, waits);
  if (status >= 500 || status === 408) return new ConnectorError('transient', message, waits);
  if (error.endpoint === 'token' || status === 401 || status === 403) {
    // Still refused after one session renewal, or the credentials / the integration user's permissions are wrong.
    return new ConnectorError(
      'auth',
      `${error.endpoint === 'token' ? 'token request refused' : 'refused'}: ${message}`,
    );
  }
  return new ConnectorError('rejected', message);
}

/** What one record's failure in a collection answer means for its lead. */
export function classifyRecordFailure(result: SaveResult | undefined): ConnectorError {
  const errors = result?.errors ?? [];
  const [first] = errors;
  if (!first) return new ConnectorError('transient', 'Salesforce reported a failure without an error');
  const message = errors
    .map(
      (item) =>
        `${item.statusCode}: ${item.message}${item.fields?.length ? ` [${item.fields.join(', ')}]` : ''}`,
    )
    .join('; ');
  if (first.statusCode === 'REQUEST_LIMIT_EXCEEDED') {
    return new ConnectorError('rate_limited', message, { retryAfterMs: CONCURRENT_LIMIT_WAIT_MS });
  }
  return new ConnectorError(
    TRANSIENT_RECORD_ERRORS.has(first.statusCode) ? 'transient' : 'rejected',
    message,
  );
}
