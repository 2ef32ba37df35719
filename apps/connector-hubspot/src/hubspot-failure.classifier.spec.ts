import { Client } from '@hubspot/api-client';
import { CrmHttpError, crmHttpAgent } from '@lead-delivery/connector-kit';
import { createServer } from 'node:net';
import { HubspotApiError, HubspotNetworkError, fromSdkError } from './hubspot-api/hubspot-api.error';
import {
  DAILY_LIMIT_WAIT_MS,
  ROLLING_LIMIT_WAIT_MS,
  classifyHubspotFailure,
  classifyItemFailure,
} from './hubspot-failure.classifier';

const apiError = (
  status: number,
  category: string,
  retryAfter: string | null = null,
  policyName?: string,
  sharedPortal = false,
) => new HubspotApiError(status, category, `${category}: m`, retryAfter, policyName, sharedPortal);

/** A loopback port nothing listens on: one the OS just handed out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('classifyHubspotFailure', () => {
  it.each([
    [
      'a ten-secondly 429 with Retry-After',
      apiError(429, 'RATE_LIMIT', '3', 'TEN_SECONDLY_ROLLING'),
      { kind: 'rate_limited', retryAfterMs: 3000, scope: 'account' },
    ],
    [
      'a ten-secondly 429 without',
      apiError(429, 'RATE_LIMIT', null, 'TEN_SECONDLY_ROLLING'),
      { kind: 'rate_limited', retryAfterMs: ROLLING_LIMIT_WAIT_MS },
    ],
    [
      'the daily limit of an own portal',
      apiError(429, 'RATE_LIMIT', null, 'DAILY'),
      { kind: 'rate_limited', retryAfterMs: DAILY_LIMIT_WAIT_MS, scope: 'account' },
    ],
    [
      'the daily limit of the shared portal',
      apiError(429, 'RATE_LIMIT', null, 'DAILY', true),
      { kind: 'rate_limited', scope: 'destination' },
    ],
    ['503', apiError(503, 'HTTP_503'), { kind: 'unavailable' }],
    ['502', apiError(502, 'HTTP_502'), { kind: 'transient' }],
    ['an expired token', apiError(401, 'EXPIRED_AUTHENTICATION'), { kind: 'auth' }],
    ['missing scopes', apiError(403, 'MISSING_SCOPES'), { kind: 'auth' }],
    ['a whole-call validation error', apiError(400, 'VALIDATION_ERROR'), { kind: 'rejected' }],
    [
      'an unreachable host',
      new HubspotNetworkError('unreachable', 'HubSpot did not answer (ECONNREFUSED)'),
      { kind: 'unavailable' },
    ],
    ['a timeout', new HubspotNetworkError('timeout', 'no answer within 30000 ms'), { kind: 'transient' }],
  ])('%s', (_, error, expected) => {
    expect(classifyHubspotFailure(error)).toMatchObject(expected);
  });

  it('reads the SDK’s ApiException without keeping its message (it embeds the body)', () => {
    const apiException = Object.assign(new Error('HTTP-Code: 429\nBody: {"email":"jane@example.com"}'), {
      code: 429,
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
      headers: { 'retry-after': '2' },
    });
    const translated = fromSdkError(apiException, false);
    expect(translated).toMatchObject({
      status: 429,
      category: 'RATE_LIMIT',
      message: 'RATE_LIMIT: You have reached your ten_secondly_rolling limit.',
      retryAfter: '2',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
  });

  it('reads a refused connection of the SDK (over node:http, its httpAgent) as an unreachable HubSpot', async () => {
    const basePath = `http://127.0.0.1:${await closedPort()}`;
    const client = new Client({ accessToken: 'pat-test', basePath, httpAgent: crmHttpAgent(basePath) });
    const thrown: unknown = await client.crm.contacts.batchApi.upsert({ inputs: [] }).catch((error) => error);
    expect(fromSdkError(thrown, false)).toEqual(
      new HubspotNetworkError('unreachable', 'HubSpot did not answer (ECONNREFUSED)'),
    );
  });

  it('reads the kit’s CrmHttpError (the notes create) as a HubspotNetworkError of the same reason', () => {
    expect(fromSdkError(new CrmHttpError('timeout', 'no answer within 50 ms'), false)).toEqual(
      new HubspotNetworkError('timeout', 'no answer within 50 ms'),
    );
  });

  it('leaves an error of Node’s own (an ERR_* code: a bug of ours, not the network) as it is', () => {
    const bug = Object.assign(new TypeError('The "url" argument must be of type string'), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
    expect(fromSdkError(bug, false)).toBe(bug);
  });
});

describe('classifyItemFailure', () => {
  it.each([
    ['VALIDATION_ERROR', 'rejected'],
    ['CONFLICT', 'rejected'],
    ['MISSING_RESULT', 'transient'],
    ['RATE_LIMIT', 'rate_limited'],
  ])('%s is %s', (category, kind) => {
    expect(classifyItemFailure({ category, message: 'm' })).toMatchObject({
      kind,
      message: `${category}: m`,
    });
  });
});
