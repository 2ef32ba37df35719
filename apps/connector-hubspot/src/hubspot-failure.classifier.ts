import { ConnectorError, retryAfterMs } from '@lead-delivery/connector-kit';
import { HubspotApiError, HubspotNetworkError, type HubspotItemError } from './hubspot-api/hubspot-api.error';

/** Without a Retry-After: the ten-second window rolls, so a short wait usually finds room. */
export const ROLLING_LIMIT_WAIT_MS = 2_000;
/** Without a Retry-After: the daily limit resets at midnight in the portal's time zone. */
export const DAILY_LIMIT_WAIT_MS = 15 * 60_000;
const REJECTED_ITEM_CATEGORIES = new Set([
  'VALIDATION_ERROR',
  'CONFLICT',
  'INVALID_EMAIL',
  'OBJECT_ALREADY_EXISTS',
  'PROPERTY_DOESNT_EXIST',
  'INVALID_PARAMS',
]);

/** What a failed HubSpot call means for its leads. */
export function classifyHubspotFailure(error: unknown): ConnectorError {
  if (error instanceof HubspotNetworkError) {
    return new ConnectorError(error.reason === 'unreachable' ? 'unavailable' : 'transient', error.message, {
      cause: error,
    });
  }
  if (!(error instanceof HubspotApiError)) {
    return new ConnectorError('transient', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  const retryAfter = retryAfterMs(error.retryAfter);
  const { status, message } = error;
  if (status === 429) {
    // HubSpot limits per portal; the SDK ignores Retry-After, the kit honours it.
    const daily = error.policyName === 'DAILY';
    return new ConnectorError('rate_limited', message, {
      retryAfterMs: retryAfter ?? (daily ? DAILY_LIMIT_WAIT_MS : ROLLING_LIMIT_WAIT_MS),
      scope: daily && error.sharedPortal ? 'destination' : 'account',
    });
  }
  const waits = retryAfter === undefined ? {} : { retryAfterMs: retryAfter };
  if (status === 503) return new ConnectorError('unavailable', message, waits);
  if (status >= 500 || status === 408) return new ConnectorError('transient', message, waits);
  // Private-app tokens do not expire and cannot be refreshed: a 401 or 403 needs an operator.
  if (status === 401 || status === 403) return new ConnectorError('auth', message);
  return new ConnectorError('rejected', message);
}

/** What one input's failure in a batch answer (207) means for its lead. */
export function classifyItemFailure(error: HubspotItemError): ConnectorError {
  const message = `${error.category}: ${error.message}`;
  if (error.category === 'RATE_LIMIT' || error.category === 'RATE_LIMITS') {
    return new ConnectorError('rate_limited', message, { retryAfterMs: ROLLING_LIMIT_WAIT_MS });
  }
  return new ConnectorError(REJECTED_ITEM_CATEGORIES.has(error.category) ? 'rejected' : 'transient', message);
}
