import { FollowupbossApiError } from './followupboss-api/followupboss-api.error';
import { classifyFollowupbossFailure, classifyRecordFailure } from './followupboss-failure.classifier';

describe('classifyFollowupbossFailure', () => {
  it.each([
    [new FollowupbossApiError(429, 'slow down', '2'), { kind: 'rate_limited', retryAfterMs: 2000 }],
    [new FollowupbossApiError(503, 'down', null), { kind: 'unavailable' }],
    [new FollowupbossApiError(500, 'oops', null), { kind: 'transient' }],
    [new FollowupbossApiError(401, 'who are you', null), { kind: 'auth' }],
    [new FollowupbossApiError(400, 'bad request', null), { kind: 'rejected' }],
    [new TypeError('fetch failed'), { kind: 'transient' }],
  ])('%s', (error, expected) => {
    expect(classifyFollowupbossFailure(error)).toMatchObject(expected);
  });

  it('rejects a record the CRM refused, and retries one it reported no error for', () => {
    expect(
      classifyRecordFailure({ ok: false, error: { code: 'INVALID_EMAIL', message: 'bad' } }),
    ).toMatchObject({
      kind: 'rejected',
      message: 'INVALID_EMAIL: bad',
    });
    expect(classifyRecordFailure(undefined).kind).toBe('transient');
  });
});
