import { SalesforceApiError, SalesforceNetworkError } from './salesforce-api/salesforce-api.error';
import {
  CONCURRENT_LIMIT_WAIT_MS,
  DAILY_LIMIT_WAIT_MS,
  classifyRecordFailure,
  classifySalesforceFailure,
} from './salesforce-failure.classifier';

const apiError = (
  status: number,
  errorCode: string,
  message = errorCode,
  {
    endpoint = 'data',
    retryAfter = null,
    sharedOrg = false,
  }: Partial<{ endpoint: 'token' | 'data'; retryAfter: string | null; sharedOrg: boolean }> = {},
) => new SalesforceApiError(status, errorCode, message, endpoint, retryAfter, sharedOrg);

describe('classifySalesforceFailure', () => {
  it.each([
    [
      '429 with Retry-After',
      apiError(429, 'HTTP_429', 'slow down', { retryAfter: '2' }),
      { kind: 'rate_limited', retryAfterMs: 2000, scope: 'account' },
    ],
    [
      'the daily allocation of an own org',
      apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
      { kind: 'rate_limited', retryAfterMs: DAILY_LIMIT_WAIT_MS, scope: 'account' },
    ],
    [
      'the daily allocation of the shared org',
      apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', { sharedOrg: true }),
      { kind: 'rate_limited', scope: 'destination' },
    ],
    [
      'too many long requests',
      apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.', { sharedOrg: true }),
      { kind: 'rate_limited', retryAfterMs: CONCURRENT_LIMIT_WAIT_MS, scope: 'account' },
    ],
    [
      '503',
      apiError(503, 'SERVER_UNAVAILABLE', 'down', { retryAfter: '5' }),
      { kind: 'unavailable', retryAfterMs: 5000 },
    ],
    ['an HTML maintenance page', apiError(500, 'HTML_RESPONSE'), { kind: 'unavailable' }],
    ['500', apiError(500, 'UNKNOWN_EXCEPTION'), { kind: 'transient' }],
    [
      '401 after the renewal',
      apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
      { kind: 'auth' },
    ],
    [
      'a refused token request',
      apiError(400, 'invalid_client', 'invalid_client: invalid client credentials', { endpoint: 'token' }),
      { kind: 'auth' },
    ],
    [
      'a token endpoint that is down',
      apiError(503, 'HTML_RESPONSE', 'down', { endpoint: 'token' }),
      { kind: 'unavailable' },
    ],
    ['missing permissions', apiError(403, 'INSUFFICIENT_ACCESS_OR_READONLY'), { kind: 'auth' }],
    [
      'an unknown field (the whole request)',
      apiError(400, 'INVALID_FIELD', 'No such column'),
      { kind: 'rejected' },
    ],
    ['no such external id field', apiError(404, 'NOT_FOUND'), { kind: 'rejected' }],
    [
      'an unreachable host',
      new SalesforceNetworkError('unreachable', 'x is unreachable (ECONNREFUSED)'),
      { kind: 'unavailable' },
    ],
    ['a timeout', new SalesforceNetworkError('timeout', 'no answer within 30000 ms'), { kind: 'transient' }],
    ['anything else', new TypeError('boom'), { kind: 'transient', message: 'boom' }],
  ])('%s', (_, error, expected) => {
    expect(classifySalesforceFailure(error)).toMatchObject(expected);
  });
});

describe('classifyRecordFailure', () => {
  it.each([
    ['REQUIRED_FIELD_MISSING', 'rejected'],
    ['DUPLICATES_DETECTED', 'rejected'],
    ['UNABLE_TO_LOCK_ROW', 'transient'],
    ['PROCESSING_HALTED', 'transient'],
    ['REQUEST_LIMIT_EXCEEDED', 'rate_limited'],
  ])('%s is %s', (statusCode, kind) => {
    expect(
      classifyRecordFailure({ success: false, errors: [{ statusCode, message: 'm', fields: ['LastName'] }] }),
    ).toMatchObject({
      kind,
      message: `${statusCode}: m [LastName]`,
    });
  });

  it('treats a failure without errors as transient', () => {
    expect(classifyRecordFailure(undefined).kind).toBe('transient');
  });
});
