import { startTestSandbox, type TestSandbox } from '../test-support/sandbox';

const PORTALS = {
  a: { id: '1000001', token: 'pat-na1-portal-a' },
  b: { id: '1000002', token: 'pat-na1-portal-b' },
};
const marker = (leadId: string, account: string) => `Realtor.com lead id: ${leadId} (account ${account})`;

describe('HubSpot lead copies (GET /sandbox/hubspot/lead-copies)', () => {
  let sandbox: TestSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      HUBSPOT_PORTALS: Object.values(PORTALS)
        .map(({ id, token }) => `${id}:${token}`)
        .join(','),
    });
  });
  afterAll(() => sandbox.close());

  const notesOf = async (token: string, email: string, bodies: string[]) => {
    const contact = await sandbox.call('POST', '/crm/v3/objects/contacts/batch/upsert', {
      token,
      json: { inputs: [{ id: email, idProperty: 'email', properties: { firstname: 'Jo' } }] },
    });
    const contactId = contact.body.results[0].id;
    for (const hs_note_body of bodies) {
      const note = await sandbox.call('POST', '/crm/v3/objects/notes', {
        token,
        json: {
          properties: { hs_timestamp: '2026-05-01T12:00:00Z', hs_note_body },
          associations: [
            {
              to: { id: contactId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
            },
          ],
        },
      });
      expect(note.status).toBe(201);
    }
  };

  it('lists each note whose body has a marker line, in every portal', async () => {
    await notesOf(PORTALS.a.token, 'jo@example.com', [
      `Is it available?<br>${marker('L-1', 'acct-a')}`,
      `Again<br/>${marker('L-1', 'acct-a')}`,
      'A note a user wrote',
    ]);
    await notesOf(PORTALS.b.token, 'jo@example.com', [`Inquiry<br />${marker('L-1', 'acct-b')}`]);

    expect(await sandbox.call('GET', '/sandbox/hubspot/lead-copies')).toMatchObject({
      status: 200,
      body: [
        { accountId: 'acct-a', leadId: 'L-1' },
        { accountId: 'acct-a', leadId: 'L-1' },
        { accountId: 'acct-b', leadId: 'L-1' },
      ],
    });
  });
});
