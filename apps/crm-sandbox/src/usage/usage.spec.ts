import { CRMS } from '../common/crm';
import { SF_ORG_ID, startTestSandbox, type Json, type TestSandbox } from '../test-support/sandbox';

const PORTAL = '1000001';
const OTHER_PORTAL = '2000002';
const APP_A = 'pat-na1-aaaaaaaa-0000-4000-8000-00000000000a';
const APP_B = 'pat-na1-bbbbbbbb-0000-4000-8000-00000000000b';
const APP_C = 'pat-na1-cccccccc-0000-4000-8000-00000000000c';
const HS_UPSERT = '/crm/v3/objects/contacts/batch/upsert';
const SF_LIMITS = '/services/data/v62.0/limits';
const FUB_ACCOUNT = '3000001';
const FUB_AUTH = { Authorization: `Basic ${Buffer.from('fub-sandbox-key-0001:').toString('base64')}` };
const SF_QUERY = `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Id FROM Lead WHERE Id = '00Q5e0000000001AAA'")}`;

describe('API usage as the CRMs count it', () => {
  let sandbox: TestSandbox;
  let sfToken: string;
  const hubspotCall = (token: string) => sandbox.call('POST', HS_UPSERT, { token, json: { inputs: [] } });
  const salesforceCall = (path = SF_LIMITS) => sandbox.call('GET', path, { token: sfToken });
  const setFaults = (crm: string, json: unknown, tenant?: string) =>
    sandbox.call('PUT', `/sandbox/faults/${crm}${tenant ? `?tenant=${tenant}` : ''}`, { json });
  const usage = async (crm: string, tenant?: string): Promise<Json[]> =>
    (await sandbox.call('GET', `/sandbox/usage/${crm}${tenant ? `?tenant=${tenant}` : ''}`)).body;

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      HUBSPOT_PORTALS: `${PORTAL}:${APP_A},${PORTAL}:${APP_B},${OTHER_PORTAL}:${APP_C}`,
    });
  });
  beforeEach(async () => {
    await sandbox.call('POST', '/sandbox/reset');
    sfToken = await sandbox.salesforceToken();
  });
  afterAll(() => sandbox.close());

  describe('HubSpot', () => {
    it('keeps a ten-secondly window per private-app token: one app at its limit leaves the other alone', async () => {
      await setFaults('hubspot', { rateLimit: { max: 2, windowMs: 10_000 } }, PORTAL);
      expect((await hubspotCall(APP_A)).status).toBe(200);
      expect((await hubspotCall(APP_A)).status).toBe(200);
      const limited = await hubspotCall(APP_A);
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      });
      expect(limited.headers.get('x-hubspot-ratelimit-max')).toBe('2');
      expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');

      const other = await hubspotCall(APP_B);
      expect(other.status).toBe(200);
      expect(other.headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
      // The daily limit is the portal's: both apps' calls count toward it.
      expect(other.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe(String(1_000_000 - 3));
    });

    it('answers 429 DAILY once the portal has used the daily limit set at runtime, other portals unaffected', async () => {
      await setFaults('hubspot', { dailyLimit: 2 }, OTHER_PORTAL);
      const first = await hubspotCall(APP_C);
      expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('2');
      expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
      expect((await hubspotCall(APP_C)).status).toBe(200);
      const limited = await hubspotCall(APP_C);
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'DAILY',
      });
      expect(limited.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
      expect((await hubspotCall(APP_A)).status).toBe(200);
    });

    it('reports calls per portal and per app, by endpoint, with rejections; tokens masked', async () => {
      await setFaults('hubspot', { rateLimit: { max: 1, windowMs: 10_000 } }, PORTAL);
      await hubspotCall(APP_A);
      await hubspotCall(APP_A);
      await hubspotCall(APP_B);
      const [portal] = await usage('hubspot', PORTAL);
      expect(portal).toMatchObject({
        portalId: PORTAL,
        daily: { limit: 1_000_000, used: 2, remaining: 999_998 },
        tenSecondly: { max: 1, windowMs: 10_000 },
        calls: {
          total: 2,
          byEndpoint: { 'hubspot.contacts.batch-upsert': 2 },
          rejected: { TEN_SECONDLY_ROLLING: 1 },
        },
      });
      expect(Date.parse(portal.daily.resetsAt)).toBeGreaterThan(Date.now());
      expect(portal.apps).toEqual([
        {
          token: 'pat-na1-…000a',
          tenSecondlyUsed: 1,
          calls: {
            total: 1,
            byEndpoint: { 'hubspot.contacts.batch-upsert': 1 },
            rejected: { TEN_SECONDLY_ROLLING: 1 },
          },
        },
        {
          token: 'pat-na1-…000b',
          tenSecondlyUsed: 1,
          calls: { total: 1, byEndpoint: { 'hubspot.contacts.batch-upsert': 1 }, rejected: {} },
        },
      ]);
      expect(JSON.stringify(await usage('hubspot'))).not.toContain(APP_A);
    });
  });

  describe('Salesforce', () => {
    it('sends Sforce-Limit-Info with every REST answer, counting per org over a rolling 24 h', async () => {
      expect((await salesforceCall()).headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
      const query = await salesforceCall(SF_QUERY);
      expect(query.status).toBe(200);
      expect(query.headers.get('sforce-limit-info')).toBe('api-usage=2/100000');
    });

    it('answers 403 REQUEST_LIMIT_EXCEEDED past the allocation set at runtime', async () => {
      await setFaults('salesforce', { dailyLimit: 2 }, SF_ORG_ID);
      expect((await salesforceCall()).status).toBe(200);
      expect((await salesforceCall()).status).toBe(200);
      const limited = await salesforceCall();
      expect(limited.status).toBe(403);
      expect(limited.body).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
      expect(limited.headers.get('sforce-limit-info')).toBe('api-usage=2/2');
      const [org] = await usage('salesforce');
      expect(org).toEqual({
        orgId: SF_ORG_ID,
        daily: { limit: 2, used: 2, remaining: 0, window: 'rolling-24h' },
        calls: { total: 2, byEndpoint: { 'salesforce.limits': 2 }, rejected: { REQUEST_LIMIT_EXCEEDED: 1 } },
      });
    });
  });

  describe('Follow Up Boss', () => {
    const fubCall = (method: string, path: string, json?: unknown) =>
      sandbox.call(method, path, { headers: FUB_AUTH, ...(json === undefined ? {} : { json }) });

    it('reports per account the calls in each limit context’s sliding 10 s window, and resets them', async () => {
      const event = { type: 'General Inquiry', person: { emails: [{ value: 'a@example.com' }] } };
      await fubCall('POST', '/v1/events', event);
      await fubCall('POST', '/v1/events', event);
      await fubCall('GET', '/v1/events');
      await fubCall('GET', '/v1/people');
      expect(await usage('followupboss')).toEqual([
        {
          accountId: FUB_ACCOUNT,
          tenSecondly: { windowMs: 10_000, used: { 'POST.events': 2, events: 1, global: 1 } },
        },
      ]);
      expect(await usage('followupboss', '4040404')).toEqual([]);

      expect((await sandbox.call('DELETE', `/sandbox/usage/followupboss?tenant=${FUB_ACCOUNT}`)).status).toBe(
        204,
      );
      expect((await usage('followupboss'))[0].tenSecondly.used).toEqual({
        'POST.events': 0,
        events: 0,
        global: 0,
      });
      // The window starts over: an unregistered system's 125 global calls, less this one.
      expect((await fubCall('GET', '/v1/people')).headers.get('x-ratelimit-remaining')).toBe('124');
    });
  });

  it('lists the usage of every CRM the sandbox emulates, in registry order', async () => {
    const all = (await sandbox.call('GET', '/sandbox/usage')).body;
    expect(Object.keys(all)).toEqual([...CRMS]);
    expect(all.followupboss).toEqual([expect.objectContaining({ accountId: FUB_ACCOUNT })]);
  });

  it('resets the counts and windows of one tenant, or of everything', async () => {
    await salesforceCall();
    await hubspotCall(APP_A);
    await hubspotCall(APP_C);
    expect((await sandbox.call('DELETE', `/sandbox/usage/hubspot?tenant=${PORTAL}`)).status).toBe(204);
    expect((await usage('hubspot', PORTAL))[0].calls.total).toBe(0);
    expect((await usage('hubspot', OTHER_PORTAL))[0].calls.total).toBe(1);
    expect((await usage('salesforce'))[0].daily.used).toBe(1);
    expect((await sandbox.call('DELETE', '/sandbox/usage')).status).toBe(204);
    const all = (await sandbox.call('GET', '/sandbox/usage')).body;
    expect(all.salesforce[0].daily.used).toBe(0);
    expect(all.hubspot.map((portal: Json) => portal.calls.total)).toEqual([0, 0]);
  });

  it('answers 400 for a tenant the CRM does not host', async () => {
    const { status, body } = await sandbox.call('GET', '/sandbox/usage/hubspot?tenant=999');
    expect(status).toBe(400);
    expect(body.message).toEqual([expect.stringContaining('hubspot has no tenant "999"')]);
  });
});
