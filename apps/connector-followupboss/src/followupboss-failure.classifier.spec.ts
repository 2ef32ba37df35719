import { CrmHttpError } from '@lead-delivery/connector-kit';
import { FollowupbossApiError } from './followupboss-api/followupboss-api.error';
import { classifyFollowupbossFailure } from './followupboss-failure.classifier';

describe('classifyFollowupbossFailure', () => {
  it.each([
    [new FollowupbossApiError(429, 'slow down', '8'), { kind: 'rate_limited', retryAfterMs: 8000 }],
    [new FollowupbossApiError(503, 'down', null), { kind: 'unavailable' }],
    [new FollowupbossApiError(500, 'oops', null), { kind: 'transient' }],
    [new FollowupbossApiError(401, 'who are you', null), { kind: 'auth' }],
    [new FollowupbossApiError(403, 'account locked', null), { kind: 'auth' }],
    [new FollowupbossApiError(400, 'invalid person', null), { kind: 'rejected' }],
    [new FollowupbossApiError(404, 'person not found', null), { kind: 'rejected' }],
    [new CrmHttpError('unreachable', '127.0.0.1:1 is unreachable (ECONNREFUSED)'), { kind: 'transient' }],
    [new CrmHttpError('timeout', 'no answer within 30000 ms'), { kind: 'transient' }],
  ])('%s', (error, expected) => {
    expect(classifyFollowupbossFailure(error)).toMatchObject(expected);
  });
});
