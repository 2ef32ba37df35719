import {
  anEnrichedLead,
  type ConnectorTestBed,
  expectEventually,
  type RunningCrmSandbox,
  startCrmSandbox,
  uniqueName,
} from '@lead-delivery/testing';
import { hubspotTestBed } from './support/connector-test-bed';
import { PORTALS, SANDBOX_ENV, connectorEnv, writeAccountsFile } from './support/sandbox-portals';

const EARLIER_INQUIRIES = 20;

/**
 * Issue 13, "cost flat in history": the delivery ledger tells the connector which leads it never wrote,
 * so a person's new inquiry is written without reading the contact's notes, and only a lead whose
 * earlier call may have written it (its answer lost in a crash) is looked up.
 */
describe('connector-hubspot: calls per lead flat in a person’s history (sandbox, real Kafka, PostgreSQL)', () => {
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

  const notesOf = async (email: string) =>
    (await sandbox.client.hubspotContact(email, { portal: PORTALS.a.id }))?.notes ?? [];
  const marked = (notes: { properties: Record<string, string> }[], leadId: string) =>
    notes.filter((note) =>
      note.properties['hs_note_body']?.endsWith(`Realtor.com lead id: ${leadId} (account acct-a)`),
    );
  /** A person HubSpot already knows, with a note for each of their earlier inquiries. */
  const personWithHistory = async () => {
    const email = `${uniqueName('history')}@example.com`;
    const leadIds = Array.from({ length: EARLIER_INQUIRIES }, () => uniqueName('earlier'));
    await sandbox.client.seedHistory(
      'hubspot',
      { accountId: 'acct-a', people: [{ email, leadIds }] },
      PORTALS.a.id,
    );
    return email;
  };
  const deliverAndCount = async (email: string) => {
    await sandbox.client.clearRequests();
    const lead = anEnrichedLead('acct-a', { email });
    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1));
    return { lead, calls: await sandbox.client.requestCounts({ crm: 'hubspot' }) };
  };

  it('a person with 20 earlier inquiries costs the same calls as a new person: upsert and note, no lookup', async () => {
    await bed.startApp(env);
    const known = await personWithHistory();

    const newPerson = await deliverAndCount(`${uniqueName('new')}@example.com`);
    const longHistory = await deliverAndCount(known);

    expect(newPerson.calls.total).toBe(2);
    expect(longHistory.calls.total).toBe(newPerson.calls.total);
    expect(Object.keys(longHistory.calls.byEndpoint).sort()).toEqual([
      'hubspot.contacts.batch-upsert',
      'hubspot.notes.batch-create',
    ]);
    const notes = await notesOf(known);
    expect(notes).toHaveLength(EARLIER_INQUIRIES + 1);
    expect(marked(notes, longHistory.lead.lead.lead_id)).toHaveLength(1);
  });

  it('a lead already written is settled from the ledger when it comes again, without calling HubSpot', async () => {
    await bed.startApp(env);
    const { lead } = await deliverAndCount(await personWithHistory());
    await sandbox.client.clearRequests();

    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(2));

    expect((await sandbox.client.requestCounts({ crm: 'hubspot' })).total).toBe(0);
    const [first, second] = bed.delivered([lead.lead.lead_id]);
    expect(second?.crm_record_id).toBe(first?.crm_record_id);
  });

  it('a crash between the note write and the commit leaves one note: the restarted connector looks it up', async () => {
    const email = await personWithHistory();
    // HubSpot saves the note, but its answer does not come before the app is gone.
    await sandbox.client.loseAnswers(
      'hubspot',
      { count: 1, endpoint: 'hubspot.notes.batch-create', afterMs: 5_000 },
      PORTALS.a.id,
    );
    await bed.startApp({ ...env, CONNECTOR_SHUTDOWN_GRACE_MS: '200' });
    const lead = anEnrichedLead('acct-a', { email });
    await bed.produce([lead]);
    await expectEventually(async () => expect(await notesOf(email)).toHaveLength(EARLIER_INQUIRIES + 1));
    await bed.stopApps(); // abandoned after the grace period: the ledger holds the intent, the offset is not committed
    expect(bed.deliveryEvents([lead.lead.lead_id])).toHaveLength(0);
    await sandbox.client.clearRequests();

    await bed.startApp(env);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1), {
      timeoutMs: 30_000,
    });

    const notes = await notesOf(email);
    expect(notes).toHaveLength(EARLIER_INQUIRIES + 1);
    expect(marked(notes, lead.lead.lead_id)).toHaveLength(1);
    const calls = await sandbox.client.requestCounts({ crm: 'hubspot' });
    expect(calls.byEndpoint['hubspot.notes.batch-read']?.total).toBeGreaterThan(0);
    // Nothing written after the restart (the lost call may be logged late, when the sandbox closes it).
    const created = calls.byEndpoint['hubspot.notes.batch-create'];
    expect(created?.total ?? 0).toBe(created?.byFault['lost-answer'] ?? 0);
  });
});
