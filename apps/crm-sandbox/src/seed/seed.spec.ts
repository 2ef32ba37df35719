import { HS_TOKEN, SF_ORG_ID, startTestSandbox, type Json, type TestSandbox } from '../test-support/sandbox';

const ACCOUNT = 'acct-austin-brokerage';
const marker = (leadId: string) => `Realtor.com lead id: ${leadId} (account ${ACCOUNT})`;
const escape = (text: string) => text.replace(/[()]/g, '\\$&');

const FUB_AUTH = { Authorization: `Basic ${Buffer.from('fub-sandbox-key-0001:').toString('base64')}` };

const people = (count: number, inquiries: number, withKey = false) =>
  Array.from({ length: count }, (_, person) => ({
    email: `person-${person}@example.com`,
    ...(withKey ? { key: `${ACCOUNT}:person-${person}` } : {}),
    lastName: `Person${person}`,
    leadIds: Array.from({ length: inquiries }, (_, inquiry) => `lead-${person}-${inquiry}`),
  }));

describe('history seeding', () => {
  let sandbox: TestSandbox;
  const seed = (crm: string, json: unknown) => sandbox.call('POST', `/sandbox/seed/${crm}`, { json });

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  beforeEach(() => sandbox.call('POST', '/sandbox/reset'));
  afterAll(() => sandbox.close());

  it('gives HubSpot contacts one note per earlier lead, marked as the connector marks them, oldest first', async () => {
    const seeded = await seed('hubspot', { accountId: ACCOUNT, people: people(2, 3) });
    expect(seeded.status).toBe(201);
    expect(seeded.body).toEqual({ people: 2, activities: 6 });
    const contact = (await sandbox.call('GET', '/sandbox/hubspot/contacts?email=person-1@example.com')).body
      .records[0];
    expect(contact.notes.map((note: Json) => note.properties.hs_note_body)).toEqual(
      ['lead-1-0', 'lead-1-1', 'lead-1-2'].map((id) => expect.stringMatching(`<br>${escape(marker(id))}$`)),
    );
    const times = contact.notes.map((note: Json) => Date.parse(note.properties.hs_timestamp));
    expect(times).toEqual([...times].sort());
    expect(Math.max(...times)).toBeLessThan(Date.now());
  });

  it('reads back through the HubSpot API like any note, without counting toward the limits', async () => {
    await seed('hubspot', { accountId: ACCOUNT, people: people(1, 2) });
    const contactId = (await sandbox.call('GET', '/sandbox/hubspot/contacts')).body.records[0].id;
    const usage = (await sandbox.call('GET', '/sandbox/usage/hubspot')).body;
    expect(usage[0].daily.used).toBe(0);
    const { status, body } = await sandbox.call('POST', '/crm/v4/associations/contacts/notes/batch/read', {
      token: HS_TOKEN,
      json: { inputs: [{ id: contactId }] },
    });
    expect(status).toBe(200);
    expect(body.results[0].to).toHaveLength(2);
  });

  it('adds to a contact that already exists instead of creating another', async () => {
    await seed('hubspot', { accountId: ACCOUNT, people: people(1, 1) });
    await seed('hubspot', { accountId: ACCOUNT, people: people(1, 2) });
    const { count, records } = (await sandbox.call('GET', '/sandbox/hubspot/contacts')).body;
    expect(count).toBe(1);
    expect(records[0].notes).toHaveLength(3);
  });

  it('gives Salesforce per-person Leads one Task per earlier lead, whose Description is the marker', async () => {
    const seeded = await seed('salesforce', { accountId: ACCOUNT, people: people(2, 2, true) });
    expect(seeded.body).toEqual({ people: 2, activities: 4 });
    const lead = (
      await sandbox.call(
        'GET',
        `/sandbox/salesforce/leads?Realtor_Person_Key__c=${encodeURIComponent(`${ACCOUNT}:person-0`)}`,
      )
    ).body.records[0];
    expect(lead).toMatchObject({
      LastName: 'Person0',
      Email: 'person-0@example.com',
      Company: expect.any(String),
    });
    expect(lead.tasks).toEqual([
      expect.objectContaining({ WhoId: lead.Id, Description: marker('lead-0-0'), Status: 'Not Started' }),
      expect.objectContaining({ WhoId: lead.Id, Description: marker('lead-0-1') }),
    ]);
    const token = await sandbox.salesforceToken();
    const query = encodeURIComponent(`SELECT Id, Description FROM Task WHERE WhoId = '${lead.Id}'`);
    const { body } = await sandbox.call('GET', `/services/data/v62.0/query?q=${query}`, { token });
    expect(body.totalSize).toBe(2);
    expect(
      (await sandbox.call('GET', `/sandbox/usage/salesforce?tenant=${SF_ORG_ID}`)).body[0].daily.used,
    ).toBe(1);
  });

  it('seeds a bench-sized history (1,000 people × 20 inquiries) in one call', async () => {
    const { status, body } = await seed('salesforce', {
      accountId: ACCOUNT,
      people: people(1_000, 20, true),
    });
    expect(status).toBe(201);
    expect(body).toEqual({ people: 1_000, activities: 20_000 });
    const summary = (await sandbox.call('GET', '/sandbox')).body.salesforce.orgs[0];
    expect(summary).toMatchObject({ leads: 1_000, tasks: 20_000, apiUsage: 0 });
  });

  it('gives Follow Up Boss people one event per earlier lead, whose description ends with the marker', async () => {
    const seeded = await seed('followupboss', { accountId: ACCOUNT, people: people(2, 2) });
    expect(seeded).toMatchObject({ status: 201, body: { people: 2, activities: 4 } });
    const fub = (path: string) => sandbox.call('GET', path, { headers: FUB_AUTH });
    const [person] = (await fub('/v1/people?email=person-1@example.com')).body.people;
    expect(person).toMatchObject({ lastName: 'Person1', emails: [{ value: 'person-1@example.com' }] });
    const { events } = (await fub(`/v1/events?personId=${person.id}`)).body;
    expect(events.map((event: Json) => event.description)).toEqual(
      ['lead-1-0', 'lead-1-1'].map((id) => expect.stringMatching(`\n${escape(marker(id))}$`)),
    );
    const times = events.map((event: Json) => Date.parse(event.created));
    expect(times).toEqual([...times].sort());
    expect(Math.max(...times)).toBeLessThan(Date.now());
    expect((await sandbox.call('GET', '/sandbox/followupboss/lead-copies')).body).toHaveLength(4);
    // Only the two reads above counted toward the account's limits.
    expect((await sandbox.call('GET', '/sandbox/usage/followupboss')).body[0].tenSecondly.used).toEqual({
      'POST.events': 0,
      events: 1,
      global: 1,
    });
  });

  it('answers 404 for a Follow Up Boss account the sandbox does not host', async () => {
    const { status } = await sandbox.call('POST', '/sandbox/seed/followupboss?tenant=4040404', {
      json: { accountId: ACCOUNT, people: people(1, 1) },
    });
    expect(status).toBe(404);
  });

  it.each([
    ['salesforce', { accountId: ACCOUNT, people: people(1, 1) }, 'people.0.key: required for Salesforce'],
    [
      'salesforce',
      { accountId: ACCOUNT, keyField: 'LastName', people: people(1, 1, true) },
      'keyField: LastName is not an External ID field of Lead',
    ],
    ['hubspot', { accountId: 'acct with space', people: people(1, 1) }, 'accountId must have no spaces'],
    ['hubspot', { accountId: ACCOUNT, people: [{ email: 'nope', leadIds: [] }] }, 'email must be an email'],
  ])('answers %s 400 naming the problem', async (crm, json, problem) => {
    const { status, body } = await seed(crm, json);
    expect(status).toBe(400);
    expect(JSON.stringify(body.message)).toContain(problem);
  });
});
