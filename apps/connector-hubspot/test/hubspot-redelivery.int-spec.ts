import { anEnrichedLead, expectEventually, leadIdsOf, useSandboxedConnector } from '@lead-delivery/testing';
import { HUBSPOT_SANDBOXED, PORTALS } from './support/hubspot-sandbox';

/**
 * Beyond the kit's redelivery suite (hubspot-suite.int-spec.ts): a notes retry spares the contacts, and a
 * lead HubSpot may hold from before the delivery ledger is looked up through HubSpot's paging
 * (associations, then notes read by the hundred).
 */
describe('connector-hubspot: one note per lead under redelivery, through HubSpot paging (sandbox, real Kafka)', () => {
  const crm = useSandboxedConnector(HUBSPOT_SANDBOXED);
  const contactOf = async (email: string) =>
    crm.sandbox.client.hubspotContact(email, { portal: PORTALS.a.id });
  const notesOf = async (email: string) => (await contactOf(email))?.notes ?? [];
  const calls = async (endpoint: string) => crm.sandbox.client.requestCounts({ endpoint });

  it('a notes call whose answer is lost is retried without upserting the contacts again', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    await sandbox.client.loseAnswers('hubspot', { count: 1, endpoint: 'hubspot.notes.batch-create' });
    const leads = Array.from({ length: 5 }, () => anEnrichedLead('acct-a'));
    await bed.produce(leads);
    await expectEventually(() => expect(bed.delivered(leadIdsOf(leads))).toHaveLength(5));
    // This process has just written the contacts: its recent-upsert cache spares the second upsert.
    expect((await calls('hubspot.notes.batch-create')).byFault).toEqual({ 'lost-answer': 1 });
    expect((await calls('hubspot.contacts.batch-upsert')).records).toBe(5);
  });

  it('a lead from before the ledger is looked up, and found among more notes than one page and one read hold', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
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
