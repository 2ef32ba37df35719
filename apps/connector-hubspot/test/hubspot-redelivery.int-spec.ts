import {
  anEnrichedLead,
  type ConnectorTestBed,
  expectEventually,
  type RunningCrmSandbox,
  startCrmSandbox,
} from '@lead-delivery/testing';
import { hubspotTestBed } from './support/connector-test-bed';
import { PORTALS, SANDBOX_ENV, connectorEnv, writeAccountsFile } from './support/sandbox-portals';

/**
 * "Each routed CRM once in effect" for notes: a lead that reaches the connector again (posted twice, or
 * redelivered because its offset was not committed) must not leave a second note on its contact.
 */
describe('connector-hubspot: one note per lead under redelivery (sandbox, real Kafka)', () => {
  let sandbox: RunningCrmSandbox;
  let bed: ConnectorTestBed;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startCrmSandbox(SANDBOX_ENV);
    bed = await hubspotTestBed().setUp();
    await bed.skipExisting();
    env = connectorEnv(sandbox.url, writeAccountsFile(sandbox.url));
  });

  afterEach(async () => {
    await bed.stopApps();
    await sandbox.client.reset();
  });

  afterAll(async () => {
    await bed.tearDown();
    await sandbox.stop();
  });

  const contactOf = async (email: string) => sandbox.client.hubspotContact(email, { portal: PORTALS.a.id });
  const notesOf = async (email: string) => (await contactOf(email))?.notes ?? [];
  const calls = async (endpoint: string) => sandbox.client.requestCounts({ endpoint });

  it('the same enriched lead delivered twice leaves one note; the second is settled from the ledger', async () => {
    await bed.startApp(env);
    const lead = anEnrichedLead('acct-a');
    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1));
    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(2));

    const email = lead.enrichment.normalized.email;
    const contact = await contactOf(email);
    expect(contact?.notes).toHaveLength(1);
    expect(contact?.notes[0]?.properties['hs_note_body']).toMatch(
      new RegExp(`<br>Realtor\\.com lead id: ${lead.lead.lead_id} \\(account acct-a\\)$`),
    );
    expect(new Set(bed.delivered([lead.lead.lead_id]).map((event) => event.crm_record_id))).toEqual(
      new Set([contact?.id]),
    );
    // First delivery: upsert + create. Second: the delivery ledger knows the lead written; no call at all.
    expect((await sandbox.client.requestCounts({ crm: 'hubspot' })).total).toBe(2);
    expect((await calls('hubspot.contacts.batch-upsert')).total).toBe(1);
    expect((await calls('hubspot.notes.batch-create')).total).toBe(1);
  });

  it('a connector stopped after HubSpot saved the note but before the offset was committed: after restart, still one note', async () => {
    // The notes call is carried out, but its answer does not come before the app is gone.
    await sandbox.client.loseAnswers(
      'hubspot',
      { count: 1, endpoint: 'hubspot.notes.batch-create', afterMs: 5_000 },
      PORTALS.a.id,
    );
    await bed.startApp({ ...env, CONNECTOR_SHUTDOWN_GRACE_MS: '200' });
    const lead = anEnrichedLead('acct-a');
    const email = lead.enrichment.normalized.email;
    await bed.produce([lead]);
    await expectEventually(async () => expect(await notesOf(email)).toHaveLength(1));

    await bed.stopApps(); // the call never answered within the grace period: abandoned, nothing committed
    expect(bed.deliveryEvents([lead.lead.lead_id])).toHaveLength(0);

    await bed.startApp(env);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1), {
      timeoutMs: 30_000,
    });
    expect(await notesOf(email)).toHaveLength(1);
    expect((await calls('hubspot.notes.batch-read')).total).toBe(1);
    // The lost call is logged when the sandbox closes its connection.
    await expectEventually(
      async () =>
        expect(await calls('hubspot.notes.batch-create')).toMatchObject({
          total: 1,
          byFault: { 'lost-answer': 1 },
        }),
      { timeoutMs: 10_000 },
    );
  });

  it('a notes call whose answer is lost is retried by reading the notes first, not by writing again', async () => {
    await bed.startApp(env);
    await sandbox.client.loseAnswers('hubspot', { count: 1, endpoint: 'hubspot.notes.batch-create' });
    const leads = Array.from({ length: 5 }, () => anEnrichedLead('acct-a'));
    await bed.produce(leads);
    await expectEventually(() =>
      expect(bed.delivered(leads.map((lead) => lead.lead.lead_id))).toHaveLength(5),
    );
    for (const lead of leads) expect(await notesOf(lead.enrichment.normalized.email)).toHaveLength(1);
    const created = await calls('hubspot.notes.batch-create');
    expect(created.byFault).toEqual({ 'lost-answer': 1 });
    expect(created.records).toBe(5);
    // The retry does not upsert the contacts again (this process has just written them).
    expect((await calls('hubspot.contacts.batch-upsert')).records).toBe(5);
  });

  it('a lead from before the ledger is looked up, and found among more notes than one page and one read hold', async () => {
    await bed.startApp(env);
    // Its note was written by a version without the ledger: the ledger cannot vouch for it.
    const earlier = anEnrichedLead('acct-a', { timestamp: '2026-01-31T17:04:05.000Z' });
    const email = earlier.enrichment.normalized.email;
    await sandbox.client.seedHistory(
      'hubspot',
      { accountId: 'acct-a', people: [{ email, leadIds: [earlier.lead.lead_id] }] },
      PORTALS.a.id,
    );
    const contactId = (await contactOf(email))?.id ?? '';
    // 600 more notes, as a busy contact collects them from users and other integrations.
    for (let batch = 0; batch < 6; batch += 1) {
      const response = await fetch(`${sandbox.url}/crm/v3/objects/notes/batch/create`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${PORTALS.a.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          inputs: Array.from({ length: 100 }, (_, index) => ({
            properties: {
              hs_timestamp: earlier.lead.timestamp,
              hs_note_body: `Called back (${batch}.${index})`,
            },
            associations: [
              {
                to: { id: contactId },
                types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
              },
            ],
          })),
        }),
      });
      expect(response.status).toBe(201);
    }
    await sandbox.client.clearRequests();

    await bed.produce([earlier]);
    await expectEventually(() => expect(bed.delivered([earlier.lead.lead_id])).toHaveLength(1));
    // 601 notes to look through: two pages of associations, seven notes reads of ≤ 100; nothing written.
    expect((await calls('hubspot.associations.batch-read')).total).toBe(2);
    expect((await calls('hubspot.notes.batch-read')).total).toBe(7);
    expect((await calls('hubspot.notes.batch-create')).total).toBe(0);

    // A new inquiry of the same person: the ledger knows it unwritten, so no notes are read.
    await sandbox.client.clearRequests();
    const later = anEnrichedLead('acct-a', { email });
    await bed.produce([later]);
    await expectEventually(() => expect(bed.delivered([later.lead.lead_id])).toHaveLength(1));
    expect((await calls('hubspot.notes.batch-read')).total).toBe(0);
    const notes = await notesOf(email);
    expect(notes).toHaveLength(602);
    const marked = (leadId: string) =>
      notes.filter((note) =>
        note.properties['hs_note_body']?.endsWith(`Realtor.com lead id: ${leadId} (account acct-a)`),
      );
    expect(marked(earlier.lead.lead_id)).toHaveLength(1);
    expect(marked(later.lead.lead_id)).toHaveLength(1);
  });
});
