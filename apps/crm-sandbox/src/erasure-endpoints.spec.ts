import { HS_TOKEN, lead, startTestSandbox, type TestSandbox } from './test-support/sandbox';

const V = '/services/data/v62.0';

describe('erasure endpoints', () => {
  let sandbox: TestSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  beforeEach(() => sandbox.call('POST', '/sandbox/reset'));
  afterAll(() => sandbox.close());

  describe('HubSpot', () => {
    const hubspot = (path: string, json: unknown) => sandbox.call('POST', path, { token: HS_TOKEN, json });
    const contactWithNote = async (email: string) => {
      const upserted = await hubspot('/crm/v3/objects/contacts/batch/upsert', {
        inputs: [{ id: email, idProperty: 'email', properties: { firstname: 'Jane' } }],
      });
      const contactId = upserted.body.results[0].id as string;
      const noted = await hubspot('/crm/v3/objects/notes', {
        properties: { hs_timestamp: '2026-05-01T12:00:00Z', hs_note_body: 'Is it still available?' },
        associations: [
          {
            to: { id: contactId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
          },
        ],
      });
      return { contactId, noteId: noted.body.id as string };
    };

    it('GDPR-deletes a contact by id (204) with its notes, and answers 404 for an id it does not know', async () => {
      const { contactId } = await contactWithNote('jane@example.com');
      const deleted = await hubspot('/crm/v3/objects/contacts/gdpr-delete', { objectId: contactId });
      expect(deleted.status).toBe(204);
      expect((await sandbox.call('GET', '/sandbox/hubspot/contacts?email=jane@example.com')).body.count).toBe(
        0,
      );
      expect((await sandbox.call('GET', '/sandbox/hubspot/notes')).body.count).toBe(0);
      expect((await hubspot('/crm/v3/objects/contacts/gdpr-delete', { objectId: contactId })).status).toBe(
        404,
      );
    });

    it('GDPR-deletes by email, and answers 204 for an email it does not know (HubSpot blocklists it)', async () => {
      await contactWithNote('jane@example.com');
      const byEmail = (email: string) =>
        hubspot('/crm/v3/objects/contacts/gdpr-delete', { objectId: email, idProperty: 'email' });
      expect((await byEmail('JANE@example.com')).status).toBe(204);
      expect((await sandbox.call('GET', '/sandbox/hubspot/contacts?email=jane@example.com')).body.count).toBe(
        0,
      );
      expect((await byEmail('nobody@example.com')).status).toBe(204);
      expect((await hubspot('/crm/v3/objects/contacts/gdpr-delete', {})).status).toBe(400);
    });

    it('archives notes in a batch (204), ignoring ids it does not know', async () => {
      const { noteId } = await contactWithNote('jane@example.com');
      const archived = await hubspot('/crm/v3/objects/notes/batch/archive', {
        inputs: [{ id: noteId }, { id: '999' }],
      });
      expect(archived.status).toBe(204);
      expect((await sandbox.call('GET', '/sandbox/hubspot/notes')).body.count).toBe(0);
    });
  });

  describe('Salesforce sObject Collections', () => {
    it('deletes records by id with one DeleteResult per id in order, a Lead with its Tasks', async () => {
      const token = await sandbox.salesforceToken();
      const created = await sandbox.call('POST', `${V}/composite/sobjects`, {
        token,
        json: { allOrNone: false, records: [lead('acct:l-1'), lead('acct:l-2')] },
      });
      const [first, second] = created.body.map((result: { id: string }) => result.id) as [string, string];
      await sandbox.call('POST', `${V}/composite/sobjects`, {
        token,
        json: {
          records: [
            { attributes: { type: 'Task' }, Subject: 'Inquiry', WhoId: first, Status: 'Not Started' },
          ],
        },
      });
      const deleted = await sandbox.call(
        'DELETE',
        `${V}/composite/sobjects?ids=${first},${second}&allOrNone=false`,
        {
          token,
        },
      );
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual([
        { id: first, success: true, errors: [] },
        { id: second, success: true, errors: [] },
      ]);
      expect((await sandbox.call('GET', '/sandbox/salesforce/leads')).body.count).toBe(0);
      expect((await sandbox.call('GET', '/sandbox/salesforce/tasks')).body.count).toBe(0);
      const again = await sandbox.call('DELETE', `${V}/composite/sobjects?ids=${first}`, { token });
      expect(again.body).toEqual([
        { success: false, errors: [expect.objectContaining({ statusCode: 'ENTITY_IS_DELETED' })] },
      ]);
    });

    it('updates records by id, a null clearing a field', async () => {
      const token = await sandbox.salesforceToken();
      const created = await sandbox.call('POST', `${V}/composite/sobjects`, {
        token,
        json: { records: [lead('acct:l-1', { Email: 'jane@example.com', FirstName: 'Jane' })] },
      });
      const id = created.body[0].id as string;
      const updated = await sandbox.call('PATCH', `${V}/composite/sobjects`, {
        token,
        json: {
          allOrNone: false,
          records: [{ attributes: { type: 'Lead' }, id, Email: null, FirstName: null, LastName: 'Erased' }],
        },
      });
      expect(updated.body).toEqual([{ id, success: true, errors: [] }]);
      const [stored] = (await sandbox.call('GET', '/sandbox/salesforce/leads')).body.records;
      expect(stored).toMatchObject({ Email: null, FirstName: null, LastName: 'Erased' });
    });
  });
});
