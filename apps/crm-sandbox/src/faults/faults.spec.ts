import { HS_TOKEN, lead, startTestSandbox, type Json, type TestSandbox } from '../test-support/sandbox';

const LIMITS = '/services/data/v62.0/limits';
const COLLECTION_UPSERT = '/services/data/v62.0/composite/sobjects/Lead/Realtor_Lead_Id__c';
const HS_UPSERT = '/crm/v3/objects/contacts/batch/upsert';
const ORG_A = '00D5e000000SbX1EAK';
const ORG_B = '00D5e000000SbX2EAK';
const [FUB_A, FUB_KEY_A, FUB_B, FUB_KEY_B] = ['3000001', 'fub-key-a', '3000002', 'fub-key-b'];
const fubAuth = (key: string) => ({ Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

describe('fault injection', () => {
  let sandbox: TestSandbox;
  let token: string;
  const faults = (crm: string, json: unknown, tenant?: string) =>
    sandbox.call('PUT', `/sandbox/faults/${crm}${tenant ? `?tenant=${tenant}` : ''}`, { json });
  const statuses = async (calls: number, path = LIMITS, options: Json = { token: () => token }) => {
    const seen: number[] = [];
    for (let call = 0; call < calls; call++) {
      seen.push((await sandbox.call('GET', path, { token: options.token() })).status);
    }
    return seen;
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      SALESFORCE_ORGS: `${ORG_A}:client-a:secret-a,${ORG_B}:client-b:secret-b`,
      HUBSPOT_TEN_SECONDLY_LIMIT: '100000',
      FOLLOWUPBOSS_ACCOUNTS: `${FUB_A}:${FUB_KEY_A},${FUB_B}:${FUB_KEY_B}`,
    });
  });
  beforeEach(async () => {
    await sandbox.call('POST', '/sandbox/reset');
    token = await sandbox.salesforceToken('client-a', 'secret-a');
  });
  afterAll(() => sandbox.close());

  describe('admin API validation', () => {
    it.each([
      [{ errors: [{ status: 418, rate: 0.5 }] }, 'errors.0.status must be one of the following values'],
      [
        {
          errors: [
            { status: 429, rate: 0.7 },
            { status: 503, rate: 0.6 },
          ],
        },
        'errors: rates add up to 1.3, more than 1',
      ],
      [{ latency: { fixedMs: -1 } }, 'latency.fixedMs must not be less than 0'],
      [{ validationRules: [{ field: 'City', pattern: '(', message: 'x' }] }, 'validationRules.0.pattern'],
      [{ surprise: true }, 'property surprise should not exist'],
    ])('answers 400 naming the problem for %j', async (json, problem) => {
      const { status, body } = await faults('salesforce', json);
      expect(status).toBe(400);
      expect(JSON.stringify(body.message)).toContain(problem);
    });

    it('answers 400 to a body that is not JSON', async () => {
      const { status, body } = await sandbox.call('PUT', '/sandbox/faults/salesforce', {
        raw: '{"errors": [',
      });
      expect(status).toBe(400);
      expect(body.message[0]).toMatch(/^body: /);
    });

    it('answers 404 for an unknown CRM and 400 for an unknown tenant', async () => {
      expect((await faults('pipedrive', {})).status).toBe(404);
      const unknownTenant = await faults('salesforce', {}, '00D000000000000');
      expect(unknownTenant.status).toBe(400);
      expect(unknownTenant.body.message[0]).toContain(`known: ${ORG_A}, ${ORG_B}`);
    });
  });

  describe('error rates', () => {
    it('fail calls at the configured rates (seeded), with the CRM-shaped body and Retry-After', async () => {
      await faults('salesforce', {
        seed: 7,
        errors: [
          { status: 429, rate: 0.2, retryAfterSeconds: 2 },
          { status: 503, rate: 0.1 },
        ],
      });
      const seen = await statuses(500);
      const share = (status: number) => seen.filter((candidate) => candidate === status).length / seen.length;
      expect(share(429)).toBeGreaterThan(0.15);
      expect(share(429)).toBeLessThan(0.25);
      expect(share(503)).toBeGreaterThan(0.06);
      expect(share(503)).toBeLessThan(0.14);
      await faults('salesforce', { errors: [{ status: 429, rate: 1, retryAfterSeconds: 2 }] });
      const limited = await sandbox.call('GET', LIMITS, { token });
      expect(limited.headers.get('retry-after')).toBe('2');
      expect(limited.body).toEqual([{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      const counts = (
        await sandbox.call('GET', '/sandbox/requests/counts?crm=salesforce&endpoint=salesforce.limits')
      ).body;
      expect(counts.byFault['error-rate']).toBe(seen.filter((status) => status !== 200).length + 1);
    });

    it('repeat the same sequence for the same seed', async () => {
      const run = async () => {
        await faults('salesforce', { seed: 1234, errors: [{ status: 503, rate: 0.5 }] });
        return statuses(40);
      };
      const first = await run();
      expect(new Set(first)).toEqual(new Set([200, 503]));
      expect(await run()).toEqual(first);
    });

    it('answer HubSpot 429s with a TEN_SECONDLY_ROLLING or DAILY policy, as asked', async () => {
      await faults('hubspot', { errors: [{ status: 429, rate: 1, policyName: 'DAILY' }] });
      const { status, body } = await sandbox.call('POST', HS_UPSERT, {
        token: HS_TOKEN,
        json: { inputs: [] },
      });
      expect(status).toBe(429);
      expect(body).toMatchObject({ policyName: 'DAILY', errorType: 'RATE_LIMIT' });
    });

    it('answer a Salesforce 503 with an HTML page when asked', async () => {
      await faults('salesforce', { errors: [{ status: 503, rate: 1, html: true }] });
      const { status, headers, body } = await sandbox.call('GET', LIMITS, { token });
      expect(status).toBe(503);
      expect(headers.get('content-type')).toBe('text/html');
      expect(body).toContain('<html>');
    });
  });

  it('bursts fail the next N calls, then calls succeed again', async () => {
    const burst = await sandbox.call('POST', '/sandbox/faults/hubspot/burst', {
      json: { count: 3, retryAfterSeconds: 1 },
    });
    expect(burst.status).toBe(204);
    const seen: [number, string | null][] = [];
    for (let call = 0; call < 5; call++) {
      const { status, headers } = await sandbox.call('POST', HS_UPSERT, {
        token: HS_TOKEN,
        json: { inputs: [] },
      });
      seen.push([status, headers.get('retry-after')]);
    }
    expect(seen).toEqual([
      [429, '1'],
      [429, '1'],
      [429, '1'],
      [200, null],
      [200, null],
    ]);
  });

  describe('outage', () => {
    it('answers 503 to every call, the token endpoint included, until it is ended', async () => {
      await sandbox.call('POST', '/sandbox/faults/salesforce/outage', { json: {} });
      expect(await statuses(3)).toEqual([503, 503, 503]);
      const login = await sandbox.call('POST', '/services/oauth2/token', {
        form: { grant_type: 'client_credentials', client_id: 'client-a', client_secret: 'secret-a' },
      });
      expect(login.status).toBe(503);
      expect((await sandbox.call('POST', HS_UPSERT, { token: HS_TOKEN, json: { inputs: [] } })).status).toBe(
        200,
      );
      await sandbox.call('DELETE', '/sandbox/faults/salesforce/outage');
      expect(await statuses(1)).toEqual([200]);
    });

    it('ends by itself after durationMs', async () => {
      await sandbox.call('POST', '/sandbox/faults/salesforce/outage', { json: { durationMs: 200 } });
      expect(await statuses(1)).toEqual([503]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await statuses(1)).toEqual([200]);
    });

    it('can hit one org and leave the others alone', async () => {
      await sandbox.call('POST', `/sandbox/faults/salesforce/outage?tenant=${ORG_B}`, { json: {} });
      const other = await sandbox
        .salesforceToken('client-b', 'secret-b')
        .catch((error: Error) => error.message);
      expect(other).toContain('503');
      expect(await statuses(2)).toEqual([200, 200]);
    });
  });

  describe('token expiry', () => {
    it('expires the Salesforce tokens issued so far; a new token works', async () => {
      expect((await sandbox.call('POST', '/sandbox/faults/salesforce/expire-tokens')).status).toBe(204);
      const expired = await sandbox.call('GET', LIMITS, { token });
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
      const fresh = await sandbox.salesforceToken('client-a', 'secret-a');
      expect(await statuses(1, LIMITS, { token: () => fresh })).toEqual([200]);
      expect(await statuses(1)).toEqual([401]);
    });

    it('lets tokens work for afterCalls more calls first', async () => {
      await sandbox.call('POST', '/sandbox/faults/salesforce/expire-tokens', { json: { afterCalls: 2 } });
      expect(await statuses(4)).toEqual([200, 200, 401, 401]);
      const log = (await sandbox.call('GET', '/sandbox/requests?crm=salesforce&status=401')).body.entries;
      expect(log.map((entry: Json) => entry.fault)).toEqual(['token-expired', 'token-expired']);
    });

    it('answers HubSpot calls 401 EXPIRED_AUTHENTICATION until the faults are cleared', async () => {
      await sandbox.call('POST', '/sandbox/faults/hubspot/expire-tokens', { json: {} });
      const { status, body } = await sandbox.call('POST', HS_UPSERT, {
        token: HS_TOKEN,
        json: { inputs: [] },
      });
      expect(status).toBe(401);
      expect(body).toMatchObject({
        category: 'EXPIRED_AUTHENTICATION',
        message: expect.stringMatching(
          /^The OAuth token used to make this call expired \d+ second\(s\) ago\.$/,
        ),
      });
      await sandbox.call('DELETE', '/sandbox/faults/hubspot');
      expect((await sandbox.call('POST', HS_UPSERT, { token: HS_TOKEN, json: { inputs: [] } })).status).toBe(
        200,
      );
    });
  });

  it('a rate limit answers Salesforce with 403 REQUEST_LIMIT_EXCEEDED and Retry-After', async () => {
    await faults('salesforce', { rateLimit: { max: 2, windowMs: 60_000 } });
    expect(await statuses(2)).toEqual([200, 200]);
    const { status, body, headers } = await sandbox.call('GET', LIMITS, { token });
    expect(status).toBe(403);
    expect(body).toEqual([
      { message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
  });

  it('latency is added to each call and recorded in the request log', async () => {
    await faults('salesforce', { seed: 3, latency: { fixedMs: 20, jitterMs: 10 } });
    await statuses(3);
    const { entries } = (await sandbox.call('GET', '/sandbox/requests?endpoint=salesforce.limits')).body;
    for (const entry of entries) {
      expect(entry.latencyMs).toBeGreaterThanOrEqual(20);
      expect(entry.latencyMs).toBeLessThan(30);
    }
  });

  describe('validation rules', () => {
    it('reject Salesforce records matching a rule with FIELD_CUSTOM_VALIDATION_EXCEPTION, the rest are saved', async () => {
      await faults('salesforce', {
        validationRules: [
          {
            field: 'LeadSource',
            pattern: '^Realtor\\.com$',
            message: 'Lead Source must be a picklist value',
          },
        ],
      });
      const { body } = await sandbox.call('PATCH', COLLECTION_UPSERT, {
        token,
        json: { records: [lead('a', { LeadSource: 'Realtor.com' }), lead('b', { LeadSource: 'Web' })] },
      });
      expect(body[0].errors).toEqual([
        {
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'Lead Source must be a picklist value',
          fields: ['LeadSource'],
        },
      ]);
      expect(body[1].success).toBe(true);
    });

    it('reject HubSpot inputs matching a rule as per-input errors', async () => {
      await faults('hubspot', {
        validationRules: [{ field: 'rdc_role', pattern: '^$', message: 'rdc_role is required' }],
      });
      const { status, body } = await sandbox.call('POST', HS_UPSERT, {
        token: HS_TOKEN,
        json: {
          inputs: [
            { id: 'a@example.com', idProperty: 'email', properties: {}, objectWriteTraceId: 'a' },
            {
              id: 'b@example.com',
              idProperty: 'email',
              properties: { rdc_role: 'buyer' },
              objectWriteTraceId: 'b',
            },
          ],
        },
      });
      expect(status).toBe(207);
      expect(body.errors[0].errors).toEqual([
        { message: 'rdc_role is required', code: 'INVALID_PROPERTY_VALUE', in: 'rdc_role' },
      ]);
    });
  });

  describe('lost answers', () => {
    const HS_NOTES = '/crm/v3/objects/notes/batch/create';
    const lose = (crm: string, json: unknown, tenant?: string) =>
      sandbox.call('POST', `/sandbox/faults/${crm}/lost-answers${tenant ? `?tenant=${tenant}` : ''}`, {
        json,
      });
    const leadsWith = async (id: string) =>
      (await sandbox.call('GET', `/sandbox/salesforce/leads?Realtor_Lead_Id__c=${id}`)).body.count;

    it('carries the call out and closes the connection without an answer, then answers again', async () => {
      expect((await lose('salesforce', { count: 1 })).status).toBe(204);
      await expect(
        sandbox.call('PATCH', COLLECTION_UPSERT, { token, json: { records: [lead('lost-1')] } }),
      ).rejects.toThrow(/fetch failed/);
      expect(await leadsWith('lost-1')).toBe(1);
      const next = await sandbox.call('PATCH', COLLECTION_UPSERT, {
        token,
        json: { records: [lead('lost-2')] },
      });
      expect(next.status).toBe(200);
      const { entries } = (
        await sandbox.call('GET', '/sandbox/requests?endpoint=salesforce.collections.upsert')
      ).body;
      expect(entries.map((entry: Json) => [entry.status, entry.fault])).toEqual([
        [200, 'lost-answer'],
        [200, undefined],
      ]);
    });

    it('hits only the endpoint and tenant named, and keeps the connection open for afterMs', async () => {
      await lose('hubspot', { count: 1, endpoint: 'hubspot.notes.batch-create', afterMs: 60_000 });
      const upserted = await sandbox.call('POST', HS_UPSERT, {
        token: HS_TOKEN,
        json: { inputs: [{ id: 'held@example.com', idProperty: 'email', properties: {} }] },
      });
      expect(upserted.status).toBe(200);
      const contactId = upserted.body.results[0].id;
      const abandon = new AbortController();
      let settled = false;
      const held = fetch(`${sandbox.url}${HS_NOTES}`, {
        method: 'POST',
        signal: abandon.signal,
        headers: { Authorization: `Bearer ${HS_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          inputs: [
            {
              properties: { hs_timestamp: '2026-05-01T12:00:00Z', hs_note_body: 'held' },
              associations: [
                {
                  to: { id: contactId },
                  types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
                },
              ],
            },
          ],
        }),
      }).finally(() => (settled = true));
      const notes = async () =>
        (await sandbox.call('GET', `/sandbox/hubspot/notes?contactId=${contactId}`)).body;
      for (let poll = 0; (await notes()).count === 0 && poll < 100; poll++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await notes()).count).toBe(1);
      expect(settled).toBe(false);
      abandon.abort();
      await expect(held).rejects.toThrow();

      await lose('salesforce', { count: 1 }, ORG_B);
      const inOrgA = await sandbox.call('PATCH', COLLECTION_UPSERT, {
        token,
        json: { records: [lead('a-1')] },
      });
      expect(inOrgA.status).toBe(200);
    });

    it.each([
      [{ count: 0 }, 'count must not be less than 1'],
      [{ count: 1, endpoint: 'Salesforce Everything' }, 'endpoint must be a CRM endpoint name'],
      [{ count: 1, endpoint: 'salesforce.everything' }, 'is not an API endpoint of salesforce'],
      [{ count: 1, endpoint: 'hubspot.notes.batch-create' }, 'is not an API endpoint of salesforce'],
      [{ count: 1, endpoint: 'salesforce.oauth.token' }, 'is not an API endpoint of salesforce'],
      [{ count: 1, afterMs: 600_001 }, 'afterMs must not be greater than 600000'],
    ])('answers 400 naming the problem for %j', async (json, problem) => {
      const { status, body } = await lose('salesforce', json);
      expect(status).toBe(400);
      expect(JSON.stringify(body.message)).toContain(problem);
    });
  });

  it('describes the faults in force and clears them per tenant or per CRM', async () => {
    await faults('salesforce', { errors: [{ status: 500, rate: 0.1 }] });
    await sandbox.call('POST', `/sandbox/faults/salesforce/burst?tenant=${ORG_B}`, {
      json: { count: 2, status: 502 },
    });
    const described = (await sandbox.call('GET', '/sandbox/faults')).body;
    expect(described['salesforce'].settings.errors).toEqual([{ status: 500, rate: 0.1 }]);
    expect(described[`salesforce:${ORG_B}`].burst).toMatchObject({ remaining: 2, status: 502 });
    await sandbox.call('DELETE', `/sandbox/faults/salesforce?tenant=${ORG_B}`);
    expect(Object.keys((await sandbox.call('GET', '/sandbox/faults')).body)).toEqual(['salesforce']);
    await sandbox.call('DELETE', '/sandbox/faults/salesforce');
    expect((await sandbox.call('GET', '/sandbox/faults')).body).toEqual({});
  });

  describe('a CRM whose module keeps its tenants to itself (Follow Up Boss)', () => {
    const people = (key: string) => sandbox.call('GET', '/v1/people', { headers: fubAuth(key) });

    it('takes faults for one of its tenants, which hit that tenant only', async () => {
      const burst = await sandbox.call('POST', `/sandbox/faults/followupboss/burst?tenant=${FUB_B}`, {
        json: { count: 1, status: 503 },
      });
      expect(burst.status).toBe(204);
      expect((await people(FUB_KEY_A)).status).toBe(200);
      expect((await people(FUB_KEY_B)).status).toBe(503);
      expect((await people(FUB_KEY_B)).status).toBe(200);
    });

    it('names its endpoints in the request log, and loses the answers of the endpoint named only', async () => {
      const lost = await sandbox.call('POST', `/sandbox/faults/followupboss/lost-answers?tenant=${FUB_A}`, {
        json: { count: 1, endpoint: 'followupboss.events.create' },
      });
      expect(lost.status).toBe(204);
      expect((await people(FUB_KEY_A)).status).toBe(200);
      const posted = sandbox.call('POST', '/v1/events', {
        json: { type: 'General Inquiry', person: { emails: [{ value: 'lost@example.com' }] } },
        headers: fubAuth(FUB_KEY_A),
      });
      await expect(posted).rejects.toThrow();
      expect((await people(FUB_KEY_A)).body.people).toHaveLength(1); // carried out, never answered
      const { entries } = (await sandbox.call('GET', '/sandbox/requests?crm=followupboss')).body;
      expect(entries.map(({ endpoint, fault }: Json) => [endpoint, fault])).toEqual([
        ['followupboss.people.list', undefined],
        ['followupboss.events.create', 'lost-answer'],
        ['followupboss.people.list', undefined],
      ]);
    });

    it('takes lost answers only for an endpoint of its own', async () => {
      const lose = (endpoint: string) =>
        sandbox.call('POST', '/sandbox/faults/followupboss/lost-answers', { json: { count: 1, endpoint } });
      expect((await lose('followupboss.nothing')).status).toBe(400);
      expect(JSON.stringify((await lose('hubspot.notes.batch-create')).body.message)).toContain(
        'is not an API endpoint of followupboss',
      );
    });

    it('is emptied, records and faults, by POST /sandbox/reset', async () => {
      const event = {
        source: 'Realtor.com',
        type: 'Property Inquiry',
        person: { emails: [{ value: 'reset@example.com' }] },
      };
      const posted = await sandbox.call('POST', '/v1/events', { json: event, headers: fubAuth(FUB_KEY_A) });
      expect(posted.status).toBe(201);
      await sandbox.call('POST', `/sandbox/faults/followupboss/outage?tenant=${FUB_B}`, { json: {} });

      await sandbox.call('POST', '/sandbox/reset');
      expect((await people(FUB_KEY_A)).body.people).toEqual([]);
      expect((await people(FUB_KEY_B)).status).toBe(200);
    });
  });
});
