import { CRMS } from '../common/crm';
import { HS_TOKEN, lead, startTestSandbox, type Json, type TestSandbox } from '../test-support/sandbox';

const COLLECTION_UPSERT = '/services/data/v62.0/composite/sobjects/Lead/Realtor_Lead_Id__c';
const HS_UPSERT = '/crm/v3/objects/contacts/batch/upsert';
const FUB_AUTH = { Authorization: `Basic ${Buffer.from('fub-sandbox-key-0001:').toString('base64')}` };

describe('inspection', () => {
  let sandbox: TestSandbox;
  let token: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    token = await sandbox.salesforceToken();
  });
  beforeEach(() => sandbox.call('POST', '/sandbox/reset'));
  afterAll(() => sandbox.close());

  it('finds Salesforce leads by any field, with their tasks, and 400s an unknown field', async () => {
    const [saved] = (
      await sandbox.call('PATCH', COLLECTION_UPSERT, {
        token,
        json: { records: [lead('X-1', { Email: 'x@example.com' }), lead('X-2')] },
      })
    ).body;
    await sandbox.call('POST', '/services/data/v62.0/sobjects/Task', {
      token,
      json: { WhoId: saved.id, Subject: 'again' },
    });
    const byEmail = (await sandbox.call('GET', '/sandbox/salesforce/leads?Email=X@Example.com')).body;
    expect(byEmail).toMatchObject({
      count: 1,
      records: [{ Id: saved.id, Realtor_Lead_Id__c: 'X-1', writes: 1, tasks: [{ Subject: 'again' }] }],
    });
    expect((await sandbox.call('GET', `/sandbox/salesforce/leads/${saved.id}`)).body.Id).toBe(saved.id);
    expect((await sandbox.call('GET', '/sandbox/salesforce/leads?limit=0')).body).toEqual({
      count: 2,
      records: [],
    });
    expect((await sandbox.call('GET', `/sandbox/salesforce/tasks?WhoId=${saved.id}`)).body.count).toBe(1);
    const unknown = await sandbox.call('GET', '/sandbox/salesforce/leads?Nope__c=1');
    expect(unknown.status).toBe(400);
    expect((await sandbox.call('GET', '/sandbox/salesforce/accounts')).status).toBe(404);
  });

  it('finds HubSpot contacts by email with their notes', async () => {
    const contact = (
      await sandbox.call('POST', HS_UPSERT, {
        token: HS_TOKEN,
        json: { inputs: [{ id: 'n@example.com', idProperty: 'email', properties: {} }] },
      })
    ).body.results[0];
    await sandbox.call('POST', '/crm/v3/objects/notes', {
      token: HS_TOKEN,
      json: {
        properties: { hs_timestamp: '2026-01-01T00:00:00Z', hs_note_body: 'hello' },
        associations: [
          {
            to: { id: contact.id },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
          },
        ],
      },
    });
    const { body } = await sandbox.call('GET', '/sandbox/hubspot/contacts?email=N@example.com');
    expect(body).toMatchObject({
      count: 1,
      records: [{ id: contact.id, writes: 1, notes: [{ properties: { hs_note_body: 'hello' } }] }],
    });
    expect((await sandbox.call('GET', `/sandbox/hubspot/notes?contactId=${contact.id}`)).body.count).toBe(1);
    expect((await sandbox.call('GET', '/sandbox/hubspot/contacts?portal=42')).status).toBe(404);
  });

  it('logs every CRM call and counts them per endpoint, status and records processed', async () => {
    await sandbox.call('PATCH', COLLECTION_UPSERT, {
      token,
      json: { records: [lead('a'), lead('b'), lead('c')] },
    });
    await sandbox.call('PATCH', COLLECTION_UPSERT, { token: 'bad', json: { records: [lead('d')] } });
    await sandbox.call('POST', HS_UPSERT, {
      token: HS_TOKEN,
      json: { inputs: [{ id: 'z@example.com', idProperty: 'email', properties: {} }] },
    });
    await sandbox.call('GET', '/crm/v3/nothing', { token: HS_TOKEN });

    const counts = (await sandbox.call('GET', '/sandbox/requests/counts')).body;
    expect(counts).toMatchObject({
      total: 4,
      records: 4,
      byStatus: { '200': 2, '401': 1, '404': 1 },
      dropped: 0,
    });
    expect(counts.byEndpoint['salesforce.collections.upsert']).toEqual({
      total: 2,
      records: 3,
      byStatus: { '200': 1, '401': 1 },
      byFault: {},
    });
    expect(counts.byEndpoint['hubspot.unknown']).toMatchObject({ total: 1, byStatus: { '404': 1 } });

    const { entries, last } = (await sandbox.call('GET', '/sandbox/requests?crm=salesforce&status=200')).body;
    expect(entries).toEqual([
      expect.objectContaining({
        crm: 'salesforce',
        tenant: '00D5e000000SbX1EAK',
        method: 'PATCH',
        path: COLLECTION_UPSERT,
        endpoint: 'salesforce.collections.upsert',
        status: 200,
        records: 3,
      }),
    ]);
    expect((await sandbox.call('GET', `/sandbox/requests?since=${last}`)).body.entries).toEqual([]);
    expect((await sandbox.call('GET', '/sandbox/requests?since=abc')).status).toBe(400);
  });

  it('reset empties records, faults and the log, and keeps issued tokens valid', async () => {
    await sandbox.call('PATCH', COLLECTION_UPSERT, { token, json: { records: [lead('a')] } });
    await sandbox.call('PUT', '/sandbox/faults/hubspot', { json: { errors: [{ status: 503, rate: 1 }] } });
    expect((await sandbox.call('POST', '/sandbox/reset')).status).toBe(204);
    const summary: Json = (await sandbox.call('GET', '/sandbox')).body;
    expect(summary).toMatchObject({
      salesforce: {
        orgs: [{ orgId: '00D5e000000SbX1EAK', leads: 0, apiUsage: 0, activeSessions: expect.any(Number) }],
      },
      hubspot: { portals: [{ portalId: '1000001', contacts: 0, notes: 0 }] },
      followupboss: { accounts: [{ accountId: '3000001', people: 0, events: 0, archivedSources: [] }] },
      faults: {},
      requests: 0,
    });
    expect(
      (await sandbox.call('PATCH', COLLECTION_UPSERT, { token, json: { records: [lead('a')] } })).status,
    ).toBe(200);
  });

  it('summarises every CRM the sandbox emulates, in registry order, Follow Up Boss included', async () => {
    const event = (email: string) => ({
      type: 'General Inquiry',
      person: { emails: [{ value: email }] },
      description: 'hello',
    });
    for (const email of ['a@example.com', 'a@example.com', 'b@example.com'])
      await sandbox.call('POST', '/v1/events', { headers: FUB_AUTH, json: event(email) });
    const summary: Json = (await sandbox.call('GET', '/sandbox')).body;
    expect(Object.keys(summary)).toEqual([...CRMS, 'faults', 'requests']);
    expect(summary.followupboss).toEqual({
      accounts: [{ accountId: '3000001', people: 2, events: 3, archivedSources: [] }],
    });
  });

  it('serves health probes and Prometheus metrics', async () => {
    expect((await sandbox.call('GET', '/health/live')).body).toEqual({ status: 'ok' });
    expect((await sandbox.call('GET', '/health/ready')).status).toBe(200);
    await sandbox.call('POST', HS_UPSERT, { token: HS_TOKEN, json: { inputs: [] } });
    const metrics = await sandbox.call('GET', '/metrics');
    expect(metrics.body).toContain(
      'crm_sandbox_requests_total{crm="hubspot",endpoint="hubspot.contacts.batch-upsert",status="200",fault="none"}',
    );
  });
});

describe('shutdown', () => {
  it('lets in-flight calls finish', async () => {
    const sandbox = await startTestSandbox({ SANDBOX_LATENCY_MS: '300' });
    const inFlight = sandbox.call('POST', HS_UPSERT, { token: HS_TOKEN, json: { inputs: [] } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sandbox.close();
    expect((await inFlight).status).toBe(200);
  });
});
