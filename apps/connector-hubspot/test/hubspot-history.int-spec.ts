import { anEnrichedLead, expectEventually, uniqueName, useSandboxedConnector } from '@lead-delivery/testing';
import { HUBSPOT_SANDBOXED, PORTALS } from './support/hubspot-sandbox';

const EARLIER_INQUIRIES = 20;

/**
 * Issue 13, "cost flat in history": the delivery ledger tells the connector which leads it never wrote,
 * so a person's new inquiry is written without reading the contact's notes, and only a lead whose
 * earlier call may have written it (its answer lost in a crash) is looked up.
 */
describe('connector-hubspot: calls per lead flat in a person’s history (sandbox, real Kafka, PostgreSQL)', () => {
  const crm = useSandboxedConnector(HUBSPOT_SANDBOXED);

  const notesOf = async (email: string) =>
    (await crm.sandbox.client.hubspotContact(email, { portal: PORTALS.a.id }))?.notes ?? [];
  const marked = (notes: { properties: Record<string, string> }[], leadId: string) =>
    notes.filter((note) =>
      note.properties['hs_note_body']?.endsWith(`Realtor.com lead id: ${leadId} (account acct-a)`),
    );
  /** A person HubSpot already knows, with a note for each of their earlier inquiries. */
  const personWithHistory = async () => {
    const email = `${uniqueName('history')}@example.com`;
    const leadIds = Array.from({ length: EARLIER_INQUIRIES }, () => uniqueName('earlier'));
    await crm.sandbox.client.seedHistory(
      'hubspot',
      { accountId: 'acct-a', people: [{ email, leadIds }] },
      PORTALS.a.id,
    );
    return email;
  };
  const deliverAndCount = async (email: string) => {
    await crm.sandbox.client.clearRequests();
    const lead = anEnrichedLead('acct-a', { email });
    await crm.bed.produce([lead]);
    await expectEventually(() => expect(crm.bed.delivered([lead.lead.lead_id])).toHaveLength(1));
    return { lead, calls: await crm.sandbox.client.requestCounts({ crm: 'hubspot' }) };
  };

  it('a person with 20 earlier inquiries costs the same calls as a new person: upsert and note, no lookup', async () => {
    await crm.bed.startApp(crm.env());
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

  it('a crash between the note write and the commit leaves one note: the restarted connector looks it up', async () => {
    const email = await personWithHistory();
    // HubSpot saves the note, but its answer does not come before the app is gone.
    await crm.sandbox.client.loseAnswers(
      'hubspot',
      { count: 1, endpoint: 'hubspot.notes.batch-create', afterMs: 5_000 },
      PORTALS.a.id,
    );
    await crm.bed.startApp(crm.env({ CONNECTOR_SHUTDOWN_GRACE_MS: '200' }));
    const lead = anEnrichedLead('acct-a', { email });
    await crm.bed.produce([lead]);
    await expectEventually(async () => expect(await notesOf(email)).toHaveLength(EARLIER_INQUIRIES + 1));
    await crm.bed.stopApps(); // abandoned after the grace period: the ledger holds the intent, the offset is not committed
    expect(crm.bed.deliveryEvents([lead.lead.lead_id])).toHaveLength(0);
    await crm.sandbox.client.clearRequests();

    await crm.bed.startApp(crm.env());
    await expectEventually(() => expect(crm.bed.delivered([lead.lead.lead_id])).toHaveLength(1), {
      timeoutMs: 30_000,
    });

    const notes = await notesOf(email);
    expect(notes).toHaveLength(EARLIER_INQUIRIES + 1);
    expect(marked(notes, lead.lead.lead_id)).toHaveLength(1);
    const calls = await crm.sandbox.client.requestCounts({ crm: 'hubspot' });
    expect(calls.byEndpoint['hubspot.notes.batch-read']?.total).toBeGreaterThan(0);
    // Nothing written after the restart (the lost call may be logged late, when the sandbox closes it).
    const created = calls.byEndpoint['hubspot.notes.batch-create'];
    expect(created?.total ?? 0).toBe(created?.byFault['lost-answer'] ?? 0);
  });
});
