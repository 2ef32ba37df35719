import {
  HS_PORTAL_ID,
  HS_TOKEN,
  startTestSandbox,
  type Json,
  type TestSandbox,
} from '../test-support/sandbox';

const UPSERT = '/crm/v3/objects/contacts/batch/upsert';
const NOTES = '/crm/v3/objects/notes';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const input = (
  email: string,
  properties: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) => ({
  id: email,
  idProperty: 'email',
  properties: { firstname: 'Jane', ...properties },
  ...extra,
});

const note = (contactId: string, properties: Record<string, string> = {}, typeId = 202) => ({
  properties: { hs_timestamp: '2026-05-01T12:00:00Z', hs_note_body: 'Is it still available?', ...properties },
  associations: [
    { to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] },
  ],
});

describe('HubSpot API', () => {
  let sandbox: TestSandbox;
  const upsert = (inputs: unknown[]) => sandbox.call('POST', UPSERT, { token: HS_TOKEN, json: { inputs } });
  const contactsWith = async (email: string) =>
    (await sandbox.call('GET', `/sandbox/hubspot/contacts?email=${encodeURIComponent(email)}`)).body;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  beforeEach(() => sandbox.call('POST', '/sandbox/reset'));
  afterAll(() => sandbox.close());

  describe('private-app token check', () => {
    it.each([
      ['no token', undefined],
      ['an unknown token', 'pat-na1-unknown'],
    ])('answers 401 INVALID_AUTHENTICATION with a correlationId for %s', async (_case, token) => {
      const { status, body, headers } = await sandbox.call('POST', UPSERT, {
        ...(token ? { token } : {}),
        json: { inputs: [] },
      });
      expect(status).toBe(401);
      expect(body).toEqual({
        status: 'error',
        message: expect.stringMatching(/^Authentication credentials not found/),
        correlationId: expect.stringMatching(UUID),
        category: 'INVALID_AUTHENTICATION',
      });
      expect(headers.get('x-hubspot-correlation-id')).toBe(body.correlationId);
    });
  });

  describe('contacts batch upsert', () => {
    it('creates and updates by email, case-insensitively, with `new` telling which', async () => {
      const first = await upsert([
        input('jane@example.com'),
        input('john@example.com', { hs_lead_status: 'NEW' }),
      ]);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        status: 'COMPLETE',
        results: expect.any(Array),
        startedAt: expect.any(String),
        completedAt: expect.any(String),
      });
      expect(
        first.body.results.every((result: Json) => result.new === true && result.archived === false),
      ).toBe(true);
      const second = await upsert([input('JANE@example.com', { lastname: 'Doe', lifecyclestage: 'lead' })]);
      const [updated] = second.body.results;
      const [created] = first.body.results.filter(
        (result: Json) => result.properties.email === 'jane@example.com',
      );
      expect(updated).toMatchObject({
        id: created.id,
        new: false,
        properties: { email: 'jane@example.com', lastname: 'Doe', firstname: 'Jane' },
      });
      expect((await contactsWith('jane@example.com')).records[0]).toMatchObject({ writes: 2 });
    });

    it('returns results in an order that is not the input order, each carrying its email and trace id', async () => {
      const emails = Array.from({ length: 20 }, (_, i) => `p${i}@example.com`);
      const { body } = await upsert(
        emails.map((email) => input(email, {}, { objectWriteTraceId: `t-${email}` })),
      );
      const returned = body.results.map((result: Json) => result.properties.email);
      expect([...returned].sort()).toEqual([...emails].sort());
      expect(returned).not.toEqual(emails);
      expect(
        body.results.every((result: Json) => result.objectWriteTraceId === `t-${result.properties.email}`),
      ).toBe(true);
    });

    it('fails the whole call with 400 when two inputs have the same email', async () => {
      const { status, body } = await upsert([
        input('a@example.com'),
        input('b@example.com'),
        input('A@Example.com'),
      ]);
      expect(status).toBe(400);
      expect(body).toEqual({
        status: 'error',
        message: 'Duplicate IDs found in batch input: [a@example.com]. IDs must be unique',
        correlationId: expect.stringMatching(UUID),
        category: 'VALIDATION_ERROR',
        context: { ids: ['a@example.com'] },
      });
      expect((await contactsWith('b@example.com')).count).toBe(0);
    });

    it('fails the whole call with 400 for an invalid email when inputs carry no objectWriteTraceId', async () => {
      const { status, body } = await upsert([input('ok@example.com'), input('not-an-email')]);
      expect(status).toBe(400);
      expect(body.category).toBe('VALIDATION_ERROR');
      const problems = JSON.parse(body.message.replace(/^Property values were not valid: /, ''));
      expect(problems).toEqual([
        {
          isValid: false,
          message: 'Email address not-an-email is invalid',
          error: 'INVALID_EMAIL',
          name: 'email',
          localizedErrorMessage: 'Email address not-an-email is invalid',
          portalId: Number(HS_PORTAL_ID),
        },
      ]);
      expect((await contactsWith('ok@example.com')).count).toBe(0);
    });

    it('answers 207 with numErrors and errors when every input carries an objectWriteTraceId, saving the valid ones', async () => {
      const { status, body } = await upsert([
        input('ok@example.com', {}, { objectWriteTraceId: 't1' }),
        input('bad-email', {}, { objectWriteTraceId: 't2' }),
        input('other@example.com', { favourite_colour: 'blue' }, { objectWriteTraceId: 't3' }),
        input('status@example.com', { hs_lead_status: 'HOT' }, { objectWriteTraceId: 't4' }),
      ]);
      expect(status).toBe(207);
      expect(body.numErrors).toBe(3);
      expect(body.results.map((result: Json) => result.objectWriteTraceId)).toEqual(['t1']);
      const byTrace = Object.fromEntries(
        body.errors.map((error: Json) => [error.context.objectWriteTraceId[0], error]),
      );
      expect(byTrace['t2'].errors).toEqual([
        { message: 'Email address bad-email is invalid', code: 'INVALID_EMAIL', in: 'email' },
      ]);
      expect(byTrace['t3']).toMatchObject({
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: expect.stringContaining('Property \\"favourite_colour\\" does not exist'),
        errors: [{ code: 'PROPERTY_DOESNT_EXIST', in: 'favourite_colour' }],
      });
      expect(byTrace['t4'].errors[0]).toMatchObject({ code: 'INVALID_OPTION' });
      expect((await contactsWith('ok@example.com')).count).toBe(1);
    });

    it('rejects property values that are not strings, more than 100 inputs, and a non-unique idProperty', async () => {
      const notString = await upsert([input('n@example.com', { rdc_beds: 3 })]);
      expect(notString.status).toBe(400);
      expect(notString.body.message).toContain('property "rdc_beds"');
      const tooMany = await upsert(Array.from({ length: 101 }, (_, i) => input(`m${i}@example.com`)));
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.category).toBe('VALIDATION_ERROR');
      const nonUnique = await upsert([{ id: 'Jane', idProperty: 'firstname', properties: {} }]);
      expect(nonUnique.body.message).toBe(
        'Unable to perform update/upsert by non-unique 0-1 property firstname',
      );
      const typed = await upsert([input('t@example.com', { rdc_beds: 'three', rdc_pre_approved: 'yes' })]);
      expect(
        JSON.parse(typed.body.message.replace(/^Property values were not valid: /, '')).map(
          (problem: Json) => problem.error,
        ),
      ).toEqual(['INVALID_FLOAT', 'INVALID_BOOLEAN']);
      const malformed = await sandbox.call('POST', UPSERT, { token: HS_TOKEN, raw: '{"inputs": [' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toMatch(/^Invalid input JSON/);
    });

    it('upserts by a unique custom property, refusing an email that belongs to another contact', async () => {
      const first = await upsert([
        { id: 'lead-1', idProperty: 'rdc_lead_id', properties: { email: 'x@example.com' } },
      ]);
      expect(first.body.results[0]).toMatchObject({
        new: true,
        properties: { rdc_lead_id: 'lead-1', email: 'x@example.com' },
      });
      const conflict = await upsert([
        { id: 'lead-2', idProperty: 'rdc_lead_id', properties: { email: 'x@example.com' } },
      ]);
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({
        category: 'CONFLICT',
        message: `Contact already exists. Existing ID: ${first.body.results[0].id}`,
      });
    });
  });

  describe('single contacts', () => {
    it('creates (201), refuses a second contact with the same email (409), reads and updates by email', async () => {
      const created = await sandbox.call('POST', '/crm/v3/objects/contacts', {
        token: HS_TOKEN,
        json: { properties: { email: 'Solo@Example.com', firstname: 'Solo' }, associations: [] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        archived: false,
        properties: { email: 'solo@example.com', hs_object_id: created.body.id },
      });
      const again = await sandbox.call('POST', '/crm/v3/objects/contacts', {
        token: HS_TOKEN,
        json: { properties: { email: 'solo@example.com' } },
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        category: 'CONFLICT',
        message: `Contact already exists. Existing ID: ${created.body.id}`,
      });
      const patched = await sandbox.call(
        'PATCH',
        '/crm/v3/objects/contacts/solo@example.com?idProperty=email',
        {
          token: HS_TOKEN,
          json: { properties: { lastname: 'Han' } },
        },
      );
      expect(patched.status).toBe(200);
      const read = await sandbox.call(
        'GET',
        `/crm/v3/objects/contacts/${created.body.id}?properties=rdc_role`,
        { token: HS_TOKEN },
      );
      expect(read.body.properties).toMatchObject({
        email: 'solo@example.com',
        firstname: 'Solo',
        lastname: 'Han',
      });
      const missing = await sandbox.call(
        'GET',
        '/crm/v3/objects/contacts/nobody@example.com?idProperty=email',
        { token: HS_TOKEN },
      );
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        correlationId: expect.stringMatching(UUID),
      });
    });
  });

  describe('notes', () => {
    let contactId: string;
    beforeEach(async () => {
      contactId = (await upsert([input('buyer@example.com')])).body.results[0].id;
    });

    it('creates a note associated to the contact (type 202)', async () => {
      const { status, body } = await sandbox.call('POST', NOTES, { token: HS_TOKEN, json: note(contactId) });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        id: expect.any(String),
        properties: { hs_note_body: 'Is it still available?', hs_object_id: body.id },
      });
      const [contact] = (await contactsWith('buyer@example.com')).records;
      expect(contact.notes).toEqual([expect.objectContaining({ id: body.id })]);
    });

    it('requires hs_timestamp, type 202 and an existing contact', async () => {
      const noTimestamp = await sandbox.call('POST', NOTES, {
        token: HS_TOKEN,
        json: { properties: { hs_note_body: 'x' }, associations: [] },
      });
      expect(noTimestamp.status).toBe(400);
      expect(noTimestamp.body.message).toContain('"name":"hs_timestamp"');
      const wrongDirection = await sandbox.call('POST', NOTES, {
        token: HS_TOKEN,
        json: note(contactId, {}, 201),
      });
      expect(wrongDirection.status).toBe(400);
      expect(wrongDirection.body.message).toContain('association type 202');
      const nobody = await sandbox.call('POST', NOTES, { token: HS_TOKEN, json: note('999') });
      expect(nobody.status).toBe(400);
      expect(nobody.body.message).toBe('One or more associations are invalid: contact 999 does not exist');
      expect((await sandbox.call('GET', '/sandbox/hubspot/notes')).body.count).toBe(0);
    });

    it('creates notes in batches (201, or 207 with per-input errors) and associates after the fact (v4)', async () => {
      const batch = await sandbox.call('POST', `${NOTES}/batch/create`, {
        token: HS_TOKEN,
        json: {
          inputs: [
            { ...note(contactId), objectWriteTraceId: 'n1' },
            { ...note('999'), objectWriteTraceId: 'n2' },
          ],
        },
      });
      expect(batch.status).toBe(207);
      expect(batch.body).toMatchObject({
        numErrors: 1,
        results: [expect.objectContaining({ objectWriteTraceId: 'n1' })],
      });
      const loose = await sandbox.call('POST', `${NOTES}/batch/create`, {
        token: HS_TOKEN,
        json: { inputs: [{ properties: { hs_timestamp: '1767268800000', hs_note_body: 'later' } }] },
      });
      expect(loose.status).toBe(201);
      const noteId = loose.body.results[0].id;
      const associated = await sandbox.call(
        'PUT',
        `/crm/v4/objects/note/${noteId}/associations/default/contact/${contactId}`,
        { token: HS_TOKEN },
      );
      expect(associated.status).toBe(200);
      expect(associated.body.results[0]).toEqual({
        from: { id: noteId },
        to: { id: contactId },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 },
      });
      expect((await contactsWith('buyer@example.com')).records[0].notes).toHaveLength(2);
    });
  });

  describe('reading notes back', () => {
    const ASSOCIATIONS = '/crm/v4/associations/contacts/notes/batch/read';
    let withNotes: string;
    let without: string;
    let noteIds: string[];
    beforeEach(async () => {
      [withNotes, without] = (
        await upsert([input('noted@example.com'), input('quiet@example.com')])
      ).body.results
        .sort((a: Json, b: Json) => a.properties.email.localeCompare(b.properties.email))
        .map((contact: Json) => contact.id);
      const created = await sandbox.call('POST', `${NOTES}/batch/create`, {
        token: HS_TOKEN,
        json: {
          inputs: ['first', 'second'].map((body) => note(withNotes, { hs_note_body: body })),
        },
      });
      noteIds = created.body.results.map((result: Json) => result.id).sort();
    });
    const readAssociations = (inputs: unknown[], path = ASSOCIATIONS) =>
      sandbox.call('POST', path, { token: HS_TOKEN, json: { inputs } });
    const readNotes = (json: unknown, query = '') =>
      sandbox.call('POST', `${NOTES}/batch/read${query}`, { token: HS_TOKEN, json });

    it('reads the notes of contacts (v4 batch read, 201 contact→note), 207 NO_ASSOCIATIONS_FOUND for one without', async () => {
      const { status, body } = await readAssociations([{ id: withNotes }, { id: without }]);
      expect(status).toBe(207);
      expect(body).toEqual({
        status: 'COMPLETE',
        results: [
          {
            from: { id: withNotes },
            to: noteIds.map((id) => ({
              toObjectId: Number(id),
              associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 201, label: null }],
            })),
          },
        ],
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            message: `No note is associated with contact ${without}.`,
            context: { fromObjectId: [without], fromObjectType: ['contact'], toObjectType: ['note'] },
          },
        ],
        startedAt: expect.any(String),
        completedAt: expect.any(String),
      });
      const reverse = await readAssociations(
        [{ id: noteIds[0] }],
        '/crm/v4/associations/0-46/0-1/batch/read',
      );
      expect(reverse.status).toBe(200);
      expect(reverse.body.results[0].to).toEqual([
        {
          toObjectId: Number(withNotes),
          associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 202, label: null }],
        },
      ]);
    });

    it('pages the associations of a contact with more than 500, through `after` next to the id', async () => {
      for (let batch = 0; batch < 6; batch += 1) {
        await sandbox.call('POST', `${NOTES}/batch/create`, {
          token: HS_TOKEN,
          json: { inputs: Array.from({ length: 100 }, () => note(withNotes)) },
        });
      }
      const first = await readAssociations([{ id: withNotes }]);
      expect(first.status).toBe(200);
      const [page] = first.body.results;
      expect(page.to).toHaveLength(500);
      expect(page.paging.next.after).toEqual(expect.any(String));
      const second = await readAssociations([{ id: withNotes, after: page.paging.next.after }]);
      const [rest] = second.body.results;
      expect(rest.to).toHaveLength(102);
      expect(rest.paging).toBeUndefined();
      const all = [...page.to, ...rest.to].map((to: Json) => to.toObjectId);
      expect(new Set(all).size).toBe(602);
    });

    it('refuses malformed association reads with VALIDATION_ERROR', async () => {
      const tooMany = await readAssociations(
        Array.from({ length: 1001 }, (_, index) => ({ id: String(index) })),
      );
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toMatchObject({
        category: 'VALIDATION_ERROR',
        message: 'Too many inputs: 1001; a batch takes at most 1000',
      });
      const unknownType = await readAssociations(
        [{ id: withNotes }],
        '/crm/v4/associations/contacts/widgets/batch/read',
      );
      expect(unknownType.status).toBe(400);
      expect(unknownType.body.message).toBe('Unable to infer object type from: widgets');
      const badCursor = await readAssociations([{ id: withNotes, after: 'bm90LWEtbnVtYmVy' }]);
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.message).toContain('is not a paging cursor');
      const noId = await readAssociations([{ after: 'MA==' }]);
      expect(noId.status).toBe(400);
      expect(noId.body.message).toContain('inputs[0].id: expected a non-empty string');
      const notAList = await sandbox.call('POST', ASSOCIATIONS, { token: HS_TOKEN, json: { inputs: 'x' } });
      expect(notAList.status).toBe(400);
      expect(notAList.body.message).toContain('inputs: expected an array');
    });

    it('reads notes by id with the properties asked for, 207 OBJECT_NOT_FOUND for the missing ones', async () => {
      const { status, body } = await readNotes({
        inputs: [{ id: noteIds[0] }, { id: '999' }, { id: noteIds[1] }],
        properties: ['hs_note_body', 'hubspot_owner_id', 'no_such_property'],
        propertiesWithHistory: [],
      });
      expect(status).toBe(207);
      expect(body.results).toHaveLength(2);
      const first = body.results.find((result: Json) => result.id === noteIds[0]);
      expect(first).toEqual({
        id: noteIds[0],
        properties: {
          hs_createdate: expect.any(String),
          hs_lastmodifieddate: expect.any(String),
          hs_object_id: noteIds[0],
          hs_note_body: 'first',
          hubspot_owner_id: null,
        },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        archived: false,
      });
      expect(body.errors).toEqual([
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message:
            'Could not get some NOTE objects, they may be deleted or not exist. Check that ids are valid.',
          context: { ids: ['999'] },
        },
      ]);
      const archived = await readNotes({ inputs: [{ id: noteIds[0] }], properties: [] }, '?archived=true');
      expect(archived.status).toBe(207);
      expect(archived.body.results).toEqual([]);
      const all = await readNotes({ inputs: noteIds.map((id) => ({ id })) });
      expect(all.status).toBe(200);
      expect(Object.keys(all.body.results[0].properties).sort()).toEqual([
        'hs_createdate',
        'hs_lastmodifieddate',
        'hs_object_id',
      ]);
    });

    it('refuses malformed note reads with VALIDATION_ERROR', async () => {
      const cases: [unknown, string][] = [
        [
          { inputs: Array.from({ length: 101 }, (_, index) => ({ id: String(index) })) },
          'Too many inputs: 101',
        ],
        [{ inputs: [{}] }, 'inputs[0].id: expected a non-empty string'],
        [
          { inputs: [{ id: noteIds[0] }], properties: 'hs_note_body' },
          'properties: expected an array of strings',
        ],
        [
          { inputs: [{ id: noteIds[0] }], idProperty: 'hs_note_body' },
          'Notes can only be read by hs_object_id',
        ],
        [[], 'expected a JSON object'],
      ];
      for (const [json, message] of cases) {
        const { status, body } = await readNotes(json);
        expect({ status, category: body.category, message: body.message }).toEqual({
          status: 400,
          category: 'VALIDATION_ERROR',
          message: expect.stringContaining(message),
        });
      }
    });
  });

  describe('rate limits', () => {
    it('sends X-HubSpot-RateLimit headers with every authenticated answer', async () => {
      const { headers } = await upsert([input('h@example.com')]);
      expect(headers.get('x-hubspot-ratelimit-max')).toBe('190');
      expect(headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      expect(Number(headers.get('x-hubspot-ratelimit-remaining'))).toBeLessThan(190);
      expect(headers.get('x-hubspot-ratelimit-daily')).toBe('1000000');
    });

    it('answers 429 TEN_SECONDLY_ROLLING with Retry-After once the window is full', async () => {
      await sandbox.call('PUT', '/sandbox/faults/hubspot', {
        json: { rateLimit: { max: 2, windowMs: 10_000 } },
      });
      for (let call = 0; call < 2; call++) expect((await upsert([input('r@example.com')])).status).toBe(200);
      const { status, body, headers } = await upsert([input('r@example.com')]);
      expect(status).toBe(429);
      expect(body).toEqual({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        correlationId: expect.stringMatching(UUID),
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        groupName: `publicapi:private-app:${HS_PORTAL_ID}`,
      });
      expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    });

    it('answers 429 DAILY past the daily limit', async () => {
      const daily = await startTestSandbox({ HUBSPOT_DAILY_LIMIT: '1' });
      try {
        await daily.call('POST', UPSERT, { token: HS_TOKEN, json: { inputs: [] } });
        const { status, body, headers } = await daily.call('POST', UPSERT, {
          token: HS_TOKEN,
          json: { inputs: [] },
        });
        expect(status).toBe(429);
        expect(body).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
        expect(headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
      } finally {
        await daily.close();
      }
    });
  });
});
