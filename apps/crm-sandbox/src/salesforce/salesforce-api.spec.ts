import { lead, startTestSandbox, type Json, type TestSandbox } from '../test-support/sandbox';

const V = '/services/data/v62.0';
const COLLECTION_UPSERT = `${V}/composite/sobjects/Lead/Realtor_Lead_Id__c`;
const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

describe('Salesforce REST API', () => {
  let sandbox: TestSandbox;
  let token: string;
  const upsertMany = (records: unknown[], allOrNone = false, headers: Record<string, string> = {}) =>
    sandbox.call('PATCH', COLLECTION_UPSERT, { token, json: { allOrNone, records }, headers });
  const leadsWith = async (id: string) =>
    (await sandbox.call('GET', `/sandbox/salesforce/leads?Realtor_Lead_Id__c=${encodeURIComponent(id)}`))
      .body;

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      SALESFORCE_LEAD_CUSTOM_FIELDS: 'Realtor_Score__c:3',
      SALESFORCE_LEAD_DUPLICATE_RULE: 'alert',
    });
    token = await sandbox.salesforceToken();
  });
  beforeEach(() => sandbox.call('POST', '/sandbox/reset'));
  afterAll(() => sandbox.close());

  describe('session check', () => {
    it.each([
      ['no Authorization header', undefined],
      ['an unknown token', '00D5e000000SbX1!nope'],
    ])('answers 401 INVALID_SESSION_ID as a JSON array for %s', async (_case, bearer) => {
      const { status, body, headers } = await sandbox.call('PATCH', COLLECTION_UPSERT, {
        ...(bearer ? { token: bearer } : {}),
        json: { records: [lead('A')] },
      });
      expect(status).toBe(401);
      expect(body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      expect(headers.get('www-authenticate')).toBe('Token');
      expect((await leadsWith('A')).count).toBe(0);
    });

    it('answers 404 NOT_FOUND for an unknown API version or resource', async () => {
      for (const path of [
        '/services/data/v20.0/limits',
        '/services/data/v99.0/limits',
        `${V}/sobjects/Account/describe`,
        `${V}/nothing`,
      ]) {
        const { status, body } = await sandbox.call('GET', path, { token });
        expect({ path, status, body }).toEqual({
          path,
          status: 404,
          body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
        });
      }
    });
  });

  describe('sObject Collections upsert', () => {
    it('creates, then updates, in request order, with `created` telling which', async () => {
      const first = await upsertMany([lead('L-1'), lead('L-2')]);
      expect(first.status).toBe(200);
      expect(first.body).toEqual([
        { id: expect.stringMatching(/^00Q[A-Za-z0-9]{15}$/), success: true, errors: [], created: true },
        { id: expect.stringMatching(/^00Q[A-Za-z0-9]{15}$/), success: true, errors: [], created: true },
      ]);
      const second = await upsertMany([lead('l-2', { Rating: 'Hot' }), lead('L-3')]);
      expect(second.body.map((result: { created: boolean }) => result.created)).toEqual([false, true]);
      expect(second.body[0].id).toBe(first.body[1].id);
      const [stored] = (await leadsWith('L-2')).records;
      expect(stored).toMatchObject({
        Rating: 'Hot',
        Realtor_Lead_Id__c: 'L-2',
        Status: 'Open - Not Contacted',
        writes: 2,
      });
    });

    it('saves the valid records and reports each invalid one with statusCode, message and fields', async () => {
      const { status, body } = await upsertMany([
        lead('ok'),
        { attributes: { type: 'Lead' }, Realtor_Lead_Id__c: 'missing', FirstName: 'Jane' },
        lead('email', { Email: 'not-an-email' }),
        lead('long', { LastName: 'x'.repeat(81) }),
        lead('status', { Status: 'Hot lead' }),
        lead('readonly', { IsConverted: true }),
        { attributes: { type: 'Lead' }, LastName: 'Doe', Company: 'X' },
      ]);
      expect(status).toBe(200);
      expect(body[0]).toMatchObject({ success: true, created: true });
      expect(body.slice(1)).toEqual([
        {
          success: false,
          created: false,
          errors: [
            {
              statusCode: 'REQUIRED_FIELD_MISSING',
              message: 'Required fields are missing: [LastName, Company]',
              fields: ['LastName', 'Company'],
            },
          ],
        },
        {
          success: false,
          created: false,
          errors: [
            {
              statusCode: 'INVALID_EMAIL_ADDRESS',
              message: 'Email: invalid email address: not-an-email',
              fields: ['Email'],
            },
          ],
        },
        {
          success: false,
          created: false,
          errors: [
            {
              statusCode: 'STRING_TOO_LONG',
              message: `Last Name: data value too large: ${'x'.repeat(81)} (max length=80)`,
              fields: ['LastName'],
            },
          ],
        },
        {
          success: false,
          created: false,
          errors: [
            {
              statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
              message: 'Lead Status: bad value for restricted picklist field: Hot lead',
              fields: ['Status'],
            },
          ],
        },
        {
          success: false,
          created: false,
          errors: [
            expect.objectContaining({
              statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
              fields: ['IsConverted'],
            }),
          ],
        },
        {
          success: false,
          created: false,
          errors: [
            {
              statusCode: 'MISSING_ARGUMENT',
              message: 'Realtor_Lead_Id__c not specified',
              fields: ['Realtor_Lead_Id__c'],
            },
          ],
        },
      ]);
      expect((await sandbox.call('GET', '/sandbox/salesforce/leads')).body.count).toBe(1);
    });

    it('rejects every record sharing an external id within one request', async () => {
      const { body } = await upsertMany([lead('dup'), lead('other'), lead('DUP')]);
      expect(body.map((result: { success: boolean }) => result.success)).toEqual([false, true, false]);
      expect(body[0].errors).toEqual([
        {
          statusCode: 'DUPLICATE_VALUE',
          message: 'Duplicate external id specified: dup',
          fields: ['Realtor_Lead_Id__c'],
        },
      ]);
    });

    it('with allOrNone, saves nothing when one record fails and marks the others rolled back', async () => {
      await upsertMany([lead('existing')]);
      const { body } = await upsertMany(
        [lead('existing', { Rating: 'Cold' }), lead('bad', { Email: 'nope' }), lead('new')],
        true,
      );
      expect(body[0]).toEqual({ success: false, errors: [ROLLED_BACK], created: false });
      expect(body[1].errors[0].statusCode).toBe('INVALID_EMAIL_ADDRESS');
      expect(body[2]).toEqual({ success: false, errors: [ROLLED_BACK], created: false });
      expect((await leadsWith('existing')).records[0].Rating).toBeUndefined();
      expect((await leadsWith('new')).count).toBe(0);
    });

    it('fails the whole request (400) for more than 200 records, a record without a type, an unknown field or bad JSON', async () => {
      const cases: [unknown, string, string][] = [
        [
          { records: Array.from({ length: 201 }, (_, i) => lead(`r${i}`)) },
          'EXCEEDED_ID_LIMIT',
          'record limit reached. cannot submit more than 200 records into this call',
        ],
        [
          { records: [{ Realtor_Lead_Id__c: 'x', LastName: 'D', Company: 'C' }] },
          'INVALID_INPUT',
          'records[0]: every record needs attributes with a type',
        ],
        [
          { records: [lead('x'), lead('y', { Foo__c: 'bar' })] },
          'INVALID_FIELD',
          "No such column 'Foo__c' on sobject of type Lead",
        ],
        [
          { records: [lead('x', { DoNotCall: 'maybe' })] },
          'JSON_PARSER_ERROR',
          expect.stringContaining('DoNotCall'),
        ],
        [
          { records: [{ ...lead('x'), attributes: { type: 'Contact' } }] },
          'INVALID_TYPE',
          expect.stringContaining('Contact'),
        ],
      ];
      for (const [json, errorCode, message] of cases) {
        const { status, body } = await sandbox.call('PATCH', COLLECTION_UPSERT, { token, json });
        expect({ status, body }).toEqual({ status: 400, body: [{ errorCode, message }] });
      }
      const malformed = await sandbox.call('PATCH', COLLECTION_UPSERT, { token, raw: '{"records": [' });
      expect(malformed.status).toBe(400);
      expect(malformed.body[0].errorCode).toBe('JSON_PARSER_ERROR');
      expect((await sandbox.call('GET', '/sandbox/salesforce/leads')).body.count).toBe(0);
    });

    it('answers 404 for a field that is not an External ID', async () => {
      const { status, body } = await sandbox.call('PATCH', `${V}/composite/sobjects/Lead/Email`, {
        token,
        json: { records: [] },
      });
      expect(status).toBe(404);
      expect(body).toEqual([
        {
          errorCode: 'NOT_FOUND',
          message: 'Provided external ID field does not exist or is not accessible: Email',
        },
      ]);
    });

    it('applies field lengths of configured custom fields and accepts field names in any case', async () => {
      const { body } = await upsertMany([
        lead('case', { realtor_score__c: '99', lastname: 'Lower' }),
        lead('long', { Realtor_Score__c: '1000' }),
      ]);
      expect(body[0].success).toBe(true);
      expect(body[1].errors[0].statusCode).toBe('STRING_TOO_LONG');
      expect((await leadsWith('case')).records[0]).toMatchObject({
        Realtor_Score__c: '99',
        LastName: 'Lower',
      });
    });

    it('blocks a second Lead with the same Email under an alert duplicate rule unless allowSave is sent', async () => {
      await upsertMany([lead('first', { Email: 'jane@example.com' })]);
      const blocked = await upsertMany([lead('second', { Email: 'JANE@example.com' })]);
      expect(blocked.body[0].errors).toEqual([
        { statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] },
      ]);
      const allowed = await upsertMany([lead('second', { Email: 'jane@example.com' })], false, {
        'Sforce-Duplicate-Rule-Header': 'allowSave=true',
      });
      expect(allowed.body[0].success).toBe(true);
    });

    it('sends Sforce-Limit-Info with the org usage on every answer', async () => {
      const first = await sandbox.call('GET', `${V}/limits`, { token });
      const used = Number(/api-usage=(\d+)\/100000/.exec(first.headers.get('sforce-limit-info') ?? '')?.[1]);
      const second = await upsertMany([lead('bad', { Foo__c: 1 })]);
      expect(second.status).toBe(400);
      expect(second.headers.get('sforce-limit-info')).toBe(`api-usage=${used + 1}/100000`);
      expect(first.body.DailyApiRequests).toEqual({ Max: 100000, Remaining: 100000 - used });
    });
  });

  describe('single-record upsert by external id', () => {
    const path = (id: string) => `${V}/sobjects/Lead/Realtor_Lead_Id__c/${id}`;

    it('answers 201 with created:true, then 200 with created:false', async () => {
      const body = { LastName: 'Doe', Company: 'X' };
      const created = await sandbox.call('PATCH', path('S-1'), { token, json: body });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^00Q/),
        success: true,
        errors: [],
        created: true,
      });
      const updated = await sandbox.call('PATCH', path('S-1'), { token, json: { Rating: 'Warm' } });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({ id: created.body.id, success: true, errors: [], created: false });
      const read = await sandbox.call('GET', path('s-1'), { token });
      expect(read.body).toMatchObject({
        attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${created.body.id}` },
        Id: created.body.id,
        Rating: 'Warm',
        FirstName: null,
      });
    });

    it('answers as API versions before 46.0 did: 201 without created, then 204', async () => {
      const old = (id: string) => `/services/data/v45.0/sobjects/Lead/Realtor_Lead_Id__c/${id}`;
      const created = await sandbox.call('PATCH', old('S-2'), {
        token,
        json: { LastName: 'Doe', Company: 'X' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), success: true, errors: [] });
      expect((await sandbox.call('PATCH', old('S-2'), { token, json: { Rating: 'Cold' } })).status).toBe(204);
    });

    it('answers 400 with an errorCode array when the record is invalid', async () => {
      const { status, body } = await sandbox.call('PATCH', path('S-3'), {
        token,
        json: { FirstName: 'Jane' },
      });
      expect(status).toBe(400);
      expect(body).toEqual([
        {
          errorCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [LastName, Company]',
          fields: ['LastName', 'Company'],
        },
      ]);
    });

    it('does not create with updateOnly=true', async () => {
      const { status } = await sandbox.call('PATCH', `${path('S-4')}?updateOnly=true`, {
        token,
        json: { LastName: 'D', Company: 'C' },
      });
      expect(status).toBe(404);
      expect((await leadsWith('S-4')).count).toBe(0);
    });
  });

  describe('activities: Task and Note on a Lead', () => {
    it('creates a Task whose WhoId is the Lead, and rejects references to nothing', async () => {
      const [saved] = (await upsertMany([lead('person')])).body;
      const task = await sandbox.call('POST', `${V}/sobjects/Task`, {
        token,
        json: { WhoId: saved.id, Subject: 'Second inquiry', Description: 'Is it still available?' },
      });
      expect(task.status).toBe(201);
      expect(task.body).toEqual({ id: expect.stringMatching(/^00T/), success: true, errors: [] });
      const bad = await sandbox.call('POST', `${V}/sobjects/Task`, {
        token,
        json: { WhoId: '00Q5e000000zzzz', Subject: 'x' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual([
        {
          errorCode: 'INVALID_CROSS_REFERENCE_KEY',
          message: 'invalid cross reference id',
          fields: ['WhoId'],
        },
      ]);
      const malformed = await sandbox.call('POST', `${V}/sobjects/Task`, { token, json: { WhoId: 'abc' } });
      expect(malformed.body[0].errorCode).toBe('MALFORMED_ID');
      const [stored] = (await leadsWith('person')).records;
      expect(stored.tasks).toEqual([
        expect.objectContaining({
          Id: task.body.id,
          WhoId: saved.id,
          Subject: 'Second inquiry',
          Status: 'Not Started',
          Priority: 'Normal',
        }),
      ]);
    });

    it('creates Tasks and Notes through sObject Collections, reporting each record', async () => {
      const [saved] = (await upsertMany([lead('person')])).body;
      const { status, body } = await sandbox.call('POST', `${V}/composite/sobjects`, {
        token,
        json: {
          allOrNone: false,
          records: [
            { attributes: { type: 'Task' }, WhoId: saved.id, Subject: 'Inquiry' },
            { attributes: { type: 'Note' }, ParentId: saved.id, Title: 'Inquiry', Body: 'Message' },
            { attributes: { type: 'Note' }, ParentId: saved.id },
          ],
        },
      });
      expect(status).toBe(200);
      expect(body).toEqual([
        { id: expect.stringMatching(/^00T/), success: true, errors: [] },
        { id: expect.stringMatching(/^002/), success: true, errors: [] },
        {
          success: false,
          errors: [
            {
              statusCode: 'REQUIRED_FIELD_MISSING',
              message: 'Required fields are missing: [Title]',
              fields: ['Title'],
            },
          ],
        },
      ]);
      const [stored] = (await leadsWith('person')).records;
      expect(stored.tasks).toHaveLength(1);
      expect(stored.notes).toEqual([expect.objectContaining({ Title: 'Inquiry', Body: 'Message' })]);
    });
  });

  describe('Composite: dependent subrequests in one call', () => {
    const composite = (compositeRequest: unknown[], allOrNone = false) =>
      sandbox.call('POST', `${V}/composite`, { token, json: { allOrNone, compositeRequest } });
    const upsertLead = (referenceId: string, key: string, fields: object = {}) => ({
      method: 'PATCH',
      url: `${V}/sobjects/Lead/Realtor_Lead_Id__c/${encodeURIComponent(key)}`,
      referenceId,
      body: { LastName: 'Reyes', Company: 'Household', ...fields },
    });
    const taskOn = (referenceId: string, lead: string) => ({
      method: 'POST',
      url: `${V}/sobjects/Task`,
      referenceId,
      body: { WhoId: `@{${lead}.id}`, Subject: 'Inquiry' },
    });

    it('upserts a Lead and creates its Task from the Lead id, as one API request', async () => {
      const { status, body } = await composite([upsertLead('lead0', 'P/1'), taskOn('task0', 'lead0')]);

      expect(status).toBe(200);
      expect(body.compositeResponse).toEqual([
        {
          referenceId: 'lead0',
          httpStatusCode: 201,
          httpHeaders: {},
          body: { id: expect.stringMatching(/^00Q/), success: true, errors: [], created: true },
        },
        {
          referenceId: 'task0',
          httpStatusCode: 201,
          httpHeaders: {},
          body: { id: expect.stringMatching(/^00T/), success: true, errors: [] },
        },
      ]);
      const [stored] = (await leadsWith('P/1')).records;
      expect(stored.tasks).toEqual([expect.objectContaining({ WhoId: body.compositeResponse[0].body.id })]);
      const again = await composite([upsertLead('lead0', 'P/1')]);
      expect(again.body.compositeResponse[0]).toMatchObject({
        httpStatusCode: 200,
        body: { created: false },
      });
      const counts = (await sandbox.call('GET', '/sandbox/requests/counts?endpoint=salesforce.composite'))
        .body;
      expect(counts.total).toBe(2);
    });

    it('fails a subrequest alone and does not run those that refer to it', async () => {
      const { body } = await composite([
        upsertLead('bad', 'P-bad', { LastName: '' }),
        taskOn('badTask', 'bad'),
        upsertLead('good', 'P-good'),
        taskOn('goodTask', 'good'),
      ]);

      expect(body.compositeResponse.map((answer: Json) => answer.httpStatusCode)).toEqual([
        400, 400, 201, 201,
      ]);
      expect(body.compositeResponse[0].body[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
      expect(body.compositeResponse[1].body[0].errorCode).toBe('PROCESSING_HALTED');
      expect((await leadsWith('P-bad')).count).toBe(0);
      expect((await leadsWith('P-good')).records[0].tasks).toHaveLength(1);
    });

    it('with allOrNone, rolls every subrequest back when one fails', async () => {
      const { body } = await composite([upsertLead('lead0', 'P-2'), taskOn('task0', 'missing')], true);

      expect(body.compositeResponse.map((answer: Json) => answer.body[0].errorCode)).toEqual([
        'PROCESSING_HALTED',
        'PROCESSING_HALTED',
      ]);
      expect((await leadsWith('P-2')).count).toBe(0);
    });

    describe('sObject Collections subrequests', () => {
      const upsertLeads = (keys: string[], fields: Record<string, object> = {}) => ({
        method: 'PATCH',
        url: COLLECTION_UPSERT,
        referenceId: 'leads',
        body: {
          allOrNone: false,
          records: keys.map((key) => ({
            attributes: { type: 'Lead' },
            Realtor_Lead_Id__c: key,
            LastName: 'Reyes',
            Company: 'Household',
            ...fields[key],
          })),
        },
      });
      const createTasks = (whoIds: string[]) => ({
        method: 'POST',
        url: `${V}/composite/sobjects`,
        referenceId: 'tasks',
        body: {
          allOrNone: false,
          records: whoIds.map((WhoId, index) => ({
            attributes: { type: 'Task' },
            WhoId,
            Subject: `Inquiry ${index}`,
          })),
        },
      });

      it('upserts a collection of Leads and creates their Tasks from `@{leads[i].id}`, as one API request', async () => {
        const before = await upsertMany([lead('known')]);
        const knownId = before.body[0].id;
        const keys = Array.from({ length: 30 }, (_, index) => `C-${index}`);

        const { status, body, headers } = await composite([
          upsertLeads(keys),
          createTasks([...keys.map((_, index) => `@{leads[${index}].id}`), knownId]),
        ]);

        expect(status).toBe(200);
        const [leads, tasks] = body.compositeResponse;
        expect(leads).toMatchObject({ referenceId: 'leads', httpStatusCode: 200 });
        expect(leads.body).toHaveLength(30);
        expect(leads.body[0]).toEqual({
          id: expect.stringMatching(/^00Q/),
          success: true,
          errors: [],
          created: true,
        });
        expect(tasks).toMatchObject({ referenceId: 'tasks', httpStatusCode: 200 });
        expect(tasks.body).toHaveLength(31);
        expect(tasks.body.every((task: Json) => task.success)).toBe(true);
        const [c7] = (await leadsWith('C-7')).records;
        expect(c7.Id).toBe(leads.body[7].id);
        expect(c7.tasks).toEqual([expect.objectContaining({ Subject: 'Inquiry 7', WhoId: c7.Id })]);
        expect((await leadsWith('known')).records[0].tasks).toEqual([
          expect.objectContaining({ Subject: 'Inquiry 30' }),
        ]);
        const used = Number(/api-usage=(\d+)\//.exec(headers.get('sforce-limit-info') ?? '')?.[1]);
        expect(used).toBe(2); // the collection upsert before, then this Composite request
        const counts = (await sandbox.call('GET', '/sandbox/requests/counts?endpoint=salesforce.composite'))
          .body;
        expect(counts).toMatchObject({ total: 1, records: 61 });
      });

      it('halts the Tasks subrequest as a whole when it refers to a Lead of the collection that failed', async () => {
        const { body } = await composite([
          upsertLeads(['ok-0', 'bad', 'ok-2'], { bad: { LastName: '' } }),
          createTasks(['@{leads[0].id}', '@{leads[1].id}', '@{leads[2].id}']),
        ]);

        const [leads, tasks] = body.compositeResponse;
        expect(leads.httpStatusCode).toBe(200);
        expect(leads.body.map((result: Json) => result.success)).toEqual([true, false, true]);
        expect(leads.body[1].errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING');
        expect(tasks).toEqual({
          referenceId: 'tasks',
          httpStatusCode: 400,
          httpHeaders: {},
          body: [
            {
              errorCode: 'PROCESSING_HALTED',
              message: 'Invalid reference specified. No value for @{leads[1].id} found in leads.',
            },
          ],
        });
        expect((await leadsWith('ok-0')).records[0].tasks).toEqual([]);
        expect((await leadsWith('ok-2')).records[0].tasks).toEqual([]);
        expect((await leadsWith('bad')).count).toBe(0);
      });

      it('applies validation rules and the version minimum of the standalone collection calls', async () => {
        await sandbox.call('PUT', '/sandbox/faults/salesforce', {
          json: { validationRules: [{ field: 'Company', pattern: '^Refused$', message: 'no thanks' }] },
        });
        const { body } = await composite([
          upsertLeads(['rule-0', 'rule-1'], { 'rule-1': { Company: 'Refused' } }),
          { ...createTasks(['@{leads[0].id}']), url: '/services/data/v41.0/composite/sobjects' },
        ]);

        expect(body.compositeResponse[0].body[1]).toMatchObject({
          success: false,
          errors: [expect.objectContaining({ message: 'no thanks' })],
        });
        expect(body.compositeResponse[1].httpStatusCode).toBe(404);
        await sandbox.call('DELETE', '/sandbox/faults/salesforce');
      });

      it('refuses more than 5 sObject Collections subrequests', async () => {
        const six = Array.from({ length: 6 }, (_, index) => ({
          ...upsertLeads([`six-${index}`]),
          referenceId: `leads${index}`,
        }));
        const { status, body } = await composite(six);
        expect(status).toBe(400);
        expect(body[0].errorCode).toBe('LIMIT_EXCEEDED');
        expect((await leadsWith('six-0')).count).toBe(0);
      });
    });

    it('refuses more than 25 subrequests and reused reference ids', async () => {
      const many = Array.from({ length: 26 }, (_, index) => upsertLead(`lead${index}`, `K${index}`));
      expect((await composite(many)).status).toBe(400);
      expect((await composite([upsertLead('a', 'K1'), upsertLead('a', 'K2')])).status).toBe(400);
      expect((await leadsWith('K1')).count).toBe(0);
    });
  });

  describe('SOQL query: the Tasks of Leads', () => {
    const soql = (q: string, headers: Record<string, string> = {}) =>
      sandbox.call('GET', `${V}/query?q=${encodeURIComponent(q)}`, { token, headers });
    const createTasks = async (whoId: string, count: number, prefix = 'Inquiry') => {
      for (let from = 0; from < count; from += 200) {
        const records = Array.from({ length: Math.min(200, count - from) }, (_, index) => ({
          attributes: { type: 'Task' },
          WhoId: whoId,
          Subject: `${prefix} ${from + index}`,
          Description: `${prefix} ${from + index}\nRealtor.com lead id: L-${from + index}`,
        }));
        const { body } = await sandbox.call('POST', `${V}/composite/sobjects`, {
          token,
          json: { allOrNone: true, records },
        });
        expect(body.every((result: Json) => result.success)).toBe(true);
      }
    };
    const invalid = (errorCode: string, query: string, column: number, reason: string) => [
      {
        errorCode,
        message: `\n${query}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\n${reason}`,
      },
    ];

    it('finds the Tasks of the Leads named in WhoId IN (…) or WhoId = …, with the fields asked for', async () => {
      const [first, second, other] = (await upsertMany([lead('one'), lead('two'), lead('three')])).body.map(
        (result: Json) => result.id as string,
      );
      await createTasks(first, 2);
      await createTasks(second, 1, 'Other');
      await createTasks(other, 1);

      const both = await soql(
        `SELECT Id, Description, WhoId FROM Task WHERE WhoId IN ('${first}', '${second}')`,
      );
      expect(both.status).toBe(200);
      expect(both.body.totalSize).toBe(3);
      expect(both.body.done).toBe(true);
      expect(both.body.nextRecordsUrl).toBeUndefined();
      expect(both.body.records[0]).toEqual({
        attributes: { type: 'Task', url: `/services/data/v62.0/sobjects/Task/${both.body.records[0].Id}` },
        Id: expect.stringMatching(/^00T[A-Za-z0-9]{15}$/),
        Description: 'Inquiry 0\nRealtor.com lead id: L-0',
        WhoId: first,
      });
      expect(both.body.records.map((record: Json) => record.WhoId)).toEqual([first, first, second]);

      const fifteen = await soql(`select id from task where whoid = '${second.slice(0, 15)}'`);
      expect(fifteen.body).toMatchObject({ totalSize: 1, done: true });
      expect(Object.keys(fifteen.body.records[0])).toEqual(['attributes', 'Id']);
      const none = await soql(`SELECT Id FROM Task WHERE WhoId IN ('00Q5e0000000009AAA')`);
      expect(none.body).toEqual({ totalSize: 0, done: true, records: [] });
      expect(
        (await sandbox.call('GET', '/sandbox/requests/counts?endpoint=salesforce.query', {})).body,
      ).toMatchObject({ total: 3, byStatus: { '200': 3 } });
    });

    it('pages a large result through nextRecordsUrl (2,000 a page, or Sforce-Query-Options batchSize)', async () => {
      const [who] = (await upsertMany([lead('busy')])).body.map((result: Json) => result.id as string);
      await createTasks(who, 2_001);
      const q = `SELECT Id FROM Task WHERE WhoId = '${who}'`;

      const first = await soql(q);
      expect(first.body).toMatchObject({ totalSize: 2_001, done: false });
      expect(first.body.records).toHaveLength(2_000);
      expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
      const last = await sandbox.call('GET', first.body.nextRecordsUrl, { token });
      expect(last.status).toBe(200);
      expect(last.body).toMatchObject({ totalSize: 2_001, done: true });
      expect(last.body.records).toHaveLength(1);
      expect(last.body.nextRecordsUrl).toBeUndefined();
      const ids = new Set([...first.body.records, ...last.body.records].map((record: Json) => record.Id));
      expect(ids.size).toBe(2_001);
      const gone = await sandbox.call('GET', first.body.nextRecordsUrl, { token });
      expect(gone.status).toBe(400);
      expect(gone.body).toEqual([{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }]);

      const small = await soql(q, { 'Sforce-Query-Options': 'batchSize=250' });
      expect(small.body.records).toHaveLength(250);
      expect(small.body.nextRecordsUrl).toMatch(/-250$/);
      const tiny = await soql(q, { 'Sforce-Query-Options': 'batchSize=10' });
      expect(tiny.body.records).toHaveLength(200);
    });

    it('refuses other shapes and bad names the way Salesforce words it', async () => {
      const who = '00Q5e0000000001AAA';
      const cases: [string, ReturnType<typeof invalid>][] = [
        [
          `SELECT Id FROM Task WHERE Subject = 'x'`,
          invalid(
            'MALFORMED_QUERY',
            `SELECT Id FROM Task WHERE Subject = 'x'`,
            27,
            'unexpected token: Subject',
          ),
        ],
        [
          `SELECT Id FROM Task WHERE WhoId LIKE 'x%'`,
          invalid(
            'MALFORMED_QUERY',
            `SELECT Id FROM Task WHERE WhoId LIKE 'x%'`,
            33,
            'unexpected token: LIKE',
          ),
        ],
        [
          `SELECT Id FORM Task WHERE WhoId = '${who}'`,
          invalid(
            'MALFORMED_QUERY',
            `SELECT Id FORM Task WHERE WhoId = '${who}'`,
            11,
            'unexpected token: FORM',
          ),
        ],
        [
          `SELECT Id FROM Task WHERE WhoId IN ('${who}') ORDER BY CreatedDate`,
          invalid(
            'MALFORMED_QUERY',
            `SELECT Id FROM Task WHERE WhoId IN ('${who}') ORDER BY CreatedDate`,
            59,
            'unexpected token: ORDER',
          ),
        ],
        [
          `SELECT Id FROM Task WHERE WhoId IN (`,
          invalid('MALFORMED_QUERY', `SELECT Id FROM Task WHERE WhoId IN (`, 37, 'unexpected token: <EOF>'),
        ],
        [
          `SELECT Id, Id FROM Task WHERE WhoId = '${who}'`,
          invalid(
            'MALFORMED_QUERY',
            `SELECT Id, Id FROM Task WHERE WhoId = '${who}'`,
            12,
            'duplicate field selected: Id',
          ),
        ],
        [
          `SELECT Id FROM Tasks WHERE WhoId = '${who}'`,
          invalid(
            'INVALID_TYPE',
            `SELECT Id FROM Tasks WHERE WhoId = '${who}'`,
            16,
            "sObject type 'Tasks' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
          ),
        ],
        [
          `SELECT Id, Body__c FROM Task WHERE WhoId = '${who}'`,
          invalid(
            'INVALID_FIELD',
            `SELECT Id, Body__c FROM Task WHERE WhoId = '${who}'`,
            12,
            "No such column 'Body__c' on entity 'Task'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
          ),
        ],
        [
          `SELECT Id FROM Task WHERE WhoId = 'nope'`,
          invalid(
            'INVALID_QUERY_FILTER_OPERATOR',
            `SELECT Id FROM Task WHERE WhoId = 'nope'`,
            35,
            'invalid ID field: nope',
          ),
        ],
      ];
      for (const [q, expected] of cases) {
        const { status, body } = await soql(q);
        expect({ q, status, body }).toEqual({ q, status: 400, body: expected });
      }
      const missing = await sandbox.call('GET', `${V}/query`, { token });
      expect(missing.status).toBe(400);
      expect(missing.body[0].errorCode).toBe('MALFORMED_QUERY');
      const multiline = await soql(`SELECT Id\nFROM Task\nWHERE WhoId == '${who}'`);
      expect(multiline.body[0].message).toBe(
        `\nWHERE WhoId == '${who}'\n             ^\nERROR at Row:3:Column:14\nunexpected token: =`,
      );
    });
  });

  it('describes Lead with its required, external-id and picklist fields', async () => {
    const { status, body } = await sandbox.call('GET', `${V}/sobjects/Lead/describe`, { token });
    expect(status).toBe(200);
    const field = (name: string) =>
      body.fields.find((candidate: { name: string }) => candidate.name === name);
    expect(field('LastName')).toMatchObject({ nillable: false, length: 80, createable: true });
    expect(field('Realtor_Lead_Id__c')).toMatchObject({ externalId: true, unique: true, idLookup: true });
    expect(field('Status')).toMatchObject({ restrictedPicklist: true, defaultValue: 'Open - Not Contacted' });
    expect(field('Rating').picklistValues.map((value: { value: string }) => value.value)).toEqual([
      'Hot',
      'Warm',
      'Cold',
    ]);
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily allocation is used', async () => {
    const limited = await startTestSandbox({ SALESFORCE_DAILY_API_LIMIT: '2' });
    try {
      const limitedToken = await limited.salesforceToken();
      for (let call = 0; call < 2; call++)
        expect((await limited.call('GET', `${V}/limits`, { token: limitedToken })).status).toBe(200);
      const { status, body, headers } = await limited.call('GET', `${V}/limits`, { token: limitedToken });
      expect(status).toBe(403);
      expect(body).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
      expect(headers.get('sforce-limit-info')).toBe('api-usage=2/2');
    } finally {
      await limited.close();
    }
  });

  it('keeps the records of each org apart', async () => {
    const orgs = await startTestSandbox({
      SALESFORCE_ORGS: '00D5e000000SbX1:client-a:secret-a,00D5e000000SbX2:client-b:secret-b',
    });
    try {
      const a = await orgs.salesforceToken('client-a', 'secret-a');
      const b = await orgs.salesforceToken('client-b', 'secret-b');
      await orgs.call('PATCH', COLLECTION_UPSERT, {
        token: a,
        json: { records: [lead('shared-id', { LastName: 'A' })] },
      });
      await orgs.call('PATCH', COLLECTION_UPSERT, {
        token: b,
        json: { records: [lead('shared-id', { LastName: 'B' })] },
      });
      const inOrg = async (org: string) =>
        (
          await orgs.call('GET', `/sandbox/salesforce/leads?org=${org}&Realtor_Lead_Id__c=shared-id`)
        ).body.records.map((record: { LastName: string }) => record.LastName);
      expect(await inOrg('00D5e000000SbX1')).toEqual(['A']);
      expect(await inOrg('00D5e000000SbX2')).toEqual(['B']);
    } finally {
      await orgs.close();
    }
  });
});
