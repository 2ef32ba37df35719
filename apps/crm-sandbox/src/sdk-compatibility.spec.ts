import { AssociationTypes, Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/notes';
import { Connection } from 'jsforce';
import {
  HS_TOKEN,
  SF_CLIENT_ID,
  SF_CLIENT_SECRET,
  SF_ORG_ID,
  startTestSandbox,
  type Json,
  type TestSandbox,
} from './test-support/sandbox';

/** The clients the connectors use, pointed at the sandbox: they must not tell it from the real APIs. */
describe('real SDKs against the sandbox', () => {
  let sandbox: TestSandbox;
  const counts = async (endpoint: string) =>
    (await sandbox.call('GET', `/sandbox/requests/counts?endpoint=${endpoint}`)).body as {
      total: number;
      byStatus: Record<string, number>;
    };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  beforeEach(() => sandbox.call('POST', '/sandbox/reset'));
  afterAll(() => sandbox.close());

  describe('jsforce 3.10.16', () => {
    const connect = () =>
      new Connection({
        oauth2: { loginUrl: sandbox.url, clientId: SF_CLIENT_ID, clientSecret: SF_CLIENT_SECRET },
        version: '62.0',
        // Client credentials issue no refresh token: re-authorize on an expired session.
        refreshFn: (conn, callback) => {
          conn.oauth2.requestToken({ grant_type: 'client_credentials' }).then(
            (response) => callback(null, response.access_token, response),
            (error: Error) => callback(error),
          );
        },
      });

    it('authorizes with client credentials and adopts instance_url and the org id', async () => {
      const conn = connect();
      const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
      expect(userInfo.organizationId).toBe(SF_ORG_ID);
      expect(conn.instanceUrl).toBe(sandbox.url);
    });

    it('upserts a collection with allOrNone:false and passes per-record errors through', async () => {
      const conn = connect();
      await conn.authorize({ grant_type: 'client_credentials' });
      const results = (await conn.sobject('Lead').upsert(
        [
          { Realtor_Lead_Id__c: 'js-1', LastName: 'Doe', Company: 'X' },
          { Realtor_Lead_Id__c: 'js-2', FirstName: 'No last name' },
          { Realtor_Lead_Id__c: 'js-3', LastName: 'Roe', Company: 'Y', Email: 'roe@example.com' },
        ],
        'Realtor_Lead_Id__c',
        { allOrNone: false },
      )) as Json[];
      expect(results.map((result) => result.success)).toEqual([true, false, true]);
      expect(results[0]).toMatchObject({ created: true, id: expect.stringMatching(/^00Q/) });
      expect(results[1].errors).toEqual([
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [LastName, Company]',
          fields: ['LastName', 'Company'],
        },
      ]);
      expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 100000 });
      expect(await counts('salesforce.collections.upsert')).toMatchObject({ total: 1 });

      const single = (await conn
        .sobject('Lead')
        .upsert({ Realtor_Lead_Id__c: 'js-1', Rating: 'Hot' }, 'Realtor_Lead_Id__c')) as Json;
      expect(single).toMatchObject({ id: results[0].id, success: true, created: false });
      const task = (await conn
        .sobject('Task')
        .create({ WhoId: results[0].id, Subject: 'Second inquiry' })) as Json;
      expect(task).toMatchObject({ success: true, id: expect.stringMatching(/^00T/) });
    });

    it('queries the Tasks of Leads with SOQL (totalSize, done, records with attributes)', async () => {
      const conn = connect();
      await conn.authorize({ grant_type: 'client_credentials' });
      const [saved] = (await conn
        .sobject('Lead')
        .upsert(
          [{ Realtor_Lead_Id__c: 'q-1', LastName: 'Doe', Company: 'X' }],
          'Realtor_Lead_Id__c',
        )) as Json[];
      const task = (await conn.sobject('Task').create({
        WhoId: saved.id,
        Subject: 'Inquiry',
        Description: "It's lovely\nRealtor.com lead id: q-1",
      })) as Json;
      const result = await conn.query<Json>(
        `SELECT Id, Description FROM Task WHERE WhoId IN ('${saved.id}', '00Q5e0000000009AAA')`,
      );
      expect(result).toMatchObject({ totalSize: 1, done: true });
      expect(result.records).toEqual([
        {
          attributes: { type: 'Task', url: `/services/data/v62.0/sobjects/Task/${task.id}` },
          Id: task.id,
          Description: "It's lovely\nRealtor.com lead id: q-1",
        },
      ]);
      await expect(conn.query("SELECT Id FROM Task WHERE Subject = 'x'")).rejects.toMatchObject({
        errorCode: 'MALFORMED_QUERY',
      });
    });

    it('refreshes once on INVALID_SESSION_ID and then succeeds', async () => {
      const conn = connect();
      await conn.authorize({ grant_type: 'client_credentials' });
      await sandbox.call('POST', '/sandbox/faults/salesforce/expire-tokens', { json: {} });
      const results = (await conn
        .sobject('Lead')
        .upsert(
          [{ Realtor_Lead_Id__c: 'js-r', LastName: 'D', Company: 'C' }],
          'Realtor_Lead_Id__c',
        )) as Json[];
      expect(results[0].success).toBe(true);
      expect(await counts('salesforce.oauth.token')).toMatchObject({ total: 2 });
      expect(await counts('salesforce.collections.upsert')).toMatchObject({
        total: 2,
        byStatus: { '401': 1, '200': 1 },
      });
    });

    it('reports an HTML 503 as such and a REQUEST_LIMIT_EXCEEDED as an errorCode', async () => {
      const conn = connect();
      await conn.authorize({ grant_type: 'client_credentials' });
      await sandbox.call('POST', '/sandbox/faults/salesforce/burst', {
        json: { count: 1, status: 503, html: true },
      });
      await expect(
        conn
          .sobject('Lead')
          .upsert([{ Realtor_Lead_Id__c: 'h', LastName: 'D', Company: 'C' }], 'Realtor_Lead_Id__c'),
      ).rejects.toThrow(/HTTP response contains html content/);
      await sandbox.call('POST', '/sandbox/faults/salesforce/burst', { json: { count: 1, status: 403 } });
      await expect(
        conn
          .sobject('Lead')
          .upsert([{ Realtor_Lead_Id__c: 'h', LastName: 'D', Company: 'C' }], 'Realtor_Lead_Id__c'),
      ).rejects.toMatchObject({
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
      });
    });
  });

  describe('@hubspot/api-client 14.0.1', () => {
    const client = (options: { numberOfApiCallRetries?: number } = {}) =>
      new Client({ accessToken: HS_TOKEN, basePath: sandbox.url, ...options });

    it('batch-upserts contacts: `new` arrives as `_new`, and a 207 resolves with numErrors', async () => {
      const created = await client().crm.contacts.batchApi.upsert({
        inputs: [{ id: 'sdk@example.com', idProperty: 'email', properties: { firstname: 'Sdk' } }],
      });
      expect(created.results[0]).toMatchObject({ _new: true, properties: { email: 'sdk@example.com' } });
      expect(created.results[0]?.createdAt).toBeInstanceOf(Date);

      const partial = (await client().crm.contacts.batchApi.upsert({
        inputs: [
          {
            id: 'sdk@example.com',
            idProperty: 'email',
            properties: { lastname: 'Kit' },
            objectWriteTraceId: 'a',
          },
          { id: 'broken', idProperty: 'email', properties: {}, objectWriteTraceId: 'b' },
        ],
      })) as Json;
      expect(partial.numErrors).toBe(1);
      expect(partial.results[0]).toMatchObject({ _new: false, objectWriteTraceId: 'a' });
      expect(partial.errors[0].context.objectWriteTraceId).toEqual(['b']);
    });

    it('throws ApiException with the raw error body (category, context) for a 400', async () => {
      const duplicate = client().crm.contacts.batchApi.upsert({
        inputs: [
          { id: 'd@example.com', idProperty: 'email', properties: {} },
          { id: 'D@example.com', idProperty: 'email', properties: {} },
        ],
      });
      await expect(duplicate).rejects.toMatchObject({
        code: 400,
        body: {
          category: 'VALIDATION_ERROR',
          context: { ids: ['d@example.com'] },
          correlationId: expect.any(String),
        },
      });
    });

    it('keeps policyName on a 429 (so its retry decorator can see it) and does not retry a DAILY 429', async () => {
      await sandbox.call('POST', '/sandbox/faults/hubspot/burst', {
        json: { count: 1, status: 429, retryAfterSeconds: 1 },
      });
      await expect(client().crm.contacts.batchApi.upsert({ inputs: [] })).rejects.toMatchObject({
        code: 429,
        body: { policyName: 'TEN_SECONDLY_ROLLING' },
        headers: expect.objectContaining({ 'retry-after': '1' }),
      });
      await sandbox.call('POST', '/sandbox/faults/hubspot/burst', {
        json: { count: 1, status: 429, policyName: 'DAILY' },
      });
      await expect(
        client({ numberOfApiCallRetries: 3 }).crm.contacts.batchApi.upsert({ inputs: [] }),
      ).rejects.toMatchObject({ code: 429 });
      expect(await counts('hubspot.contacts.batch-upsert')).toMatchObject({ total: 2 });
    });

    it('retries a 5xx itself, counting numberOfApiCallRetries as total attempts', async () => {
      await sandbox.call('POST', '/sandbox/faults/hubspot/burst', { json: { count: 5, status: 503 } });
      const console = jest.spyOn(global.console, 'error').mockImplementation(() => undefined);
      try {
        await expect(
          client({ numberOfApiCallRetries: 2 }).crm.contacts.batchApi.upsert({ inputs: [] }),
        ).rejects.toMatchObject({ code: 503 });
      } finally {
        console.mockRestore();
      }
      expect(await counts('hubspot.contacts.batch-upsert')).toMatchObject({
        total: 2,
        byStatus: { '503': 2 },
      });
    });

    it('creates a note associated to the contact', async () => {
      const [contact] = (
        await client().crm.contacts.batchApi.upsert({
          inputs: [{ id: 'noted@example.com', idProperty: 'email', properties: {} }],
        })
      ).results;
      const note = await client().crm.objects.notes.basicApi.create({
        properties: { hs_timestamp: new Date().toISOString(), hs_note_body: 'Is it still available?' },
        associations: [
          {
            to: { id: contact?.id ?? '' },
            types: [
              {
                associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
                associationTypeId: AssociationTypes.noteToContact,
              },
            ],
          },
        ],
      });
      expect(note.id).toEqual(expect.any(String));
      const inspected = (await sandbox.call('GET', '/sandbox/hubspot/contacts?email=noted@example.com')).body;
      expect(inspected.records[0].notes.map((stored: Json) => stored.id)).toEqual([note.id]);
    });

    it('reads the notes of contacts back: v4 associations batch read (207 resolves), then notes batch read', async () => {
      const contacts = (
        await client().crm.contacts.batchApi.upsert({
          inputs: ['read@example.com', 'none@example.com'].map((email) => ({
            id: email,
            idProperty: 'email',
            properties: {},
          })),
        })
      ).results;
      const noted = contacts.find((contact) => contact.properties['email'] === 'read@example.com');
      const quiet = contacts.find((contact) => contact.properties['email'] === 'none@example.com');
      const created = await client().crm.objects.notes.basicApi.create({
        properties: { hs_timestamp: new Date().toISOString(), hs_note_body: 'Line one<br>Line two' },
        associations: [
          {
            to: { id: noted?.id ?? '' },
            types: [
              {
                associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
                associationTypeId: AssociationTypes.noteToContact,
              },
            ],
          },
        ],
      });

      const associations = (await client().crm.associations.v4.batchApi.getPage('contacts', 'notes', {
        inputs: [{ id: noted?.id ?? '' }, { id: quiet?.id ?? '' }],
      })) as Json;
      expect(associations.results).toHaveLength(1);
      expect(associations.results[0]._from.id).toBe(noted?.id);
      expect(associations.results[0].to.map((to: Json) => String(to.toObjectId))).toEqual([created.id]);
      expect(associations.results[0].to[0].associationTypes[0]).toMatchObject({
        category: 'HUBSPOT_DEFINED',
        typeId: 201,
      });
      expect(associations.errors).toEqual([
        expect.objectContaining({
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          context: expect.objectContaining({ fromObjectId: [quiet?.id] }),
        }),
      ]);

      const notes = (await client().crm.objects.notes.batchApi.read({
        inputs: [{ id: created.id }, { id: '1' }],
        properties: ['hs_note_body'],
        propertiesWithHistory: [],
      })) as Json;
      expect(notes.results).toEqual([
        expect.objectContaining({
          id: created.id,
          properties: expect.objectContaining({ hs_note_body: 'Line one<br>Line two' }),
        }),
      ]);
      expect(notes.errors).toEqual([
        expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { ids: ['1'] } }),
      ]);
      expect(await counts('hubspot.associations.batch-read')).toMatchObject({
        total: 1,
        byStatus: { '207': 1 },
      });
      expect(await counts('hubspot.notes.batch-read')).toMatchObject({ total: 1, byStatus: { '207': 1 } });
    });
  });
});
