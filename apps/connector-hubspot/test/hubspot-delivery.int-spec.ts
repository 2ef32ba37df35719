import {
  anEnrichedLead,
  expectEventually,
  leadIdsOf,
  useSandboxedConnector,
  type SandboxRequestLogEntry,
} from '@lead-delivery/testing';
import { HUBSPOT_SANDBOXED, PORTALS } from './support/hubspot-sandbox';

/** What HubSpot does beyond the kit's suite (hubspot-suite.int-spec.ts): its mapping, one contact per person. */
describe('connector-hubspot: contacts and notes in the HubSpot sandbox (real Kafka)', () => {
  const crm = useSandboxedConnector(HUBSPOT_SANDBOXED);

  it('maps a lead onto its contact and a note', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const lead = anEnrichedLead('acct-a', { tier: 'hot' });
    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1));

    const contact = await sandbox.client.hubspotContact(lead.enrichment.normalized.email, {
      portal: PORTALS.a.id,
    });
    expect(contact?.properties).toMatchObject({
      email: lead.enrichment.normalized.email,
      firstname: 'Maria',
      lastname: 'Gonzalez',
      phone: '+15125550142',
      address: '2104 Lakeview Dr',
      city: 'Austin',
      state: 'TX',
      zip: '78704',
      message: lead.lead.message,
      hs_lead_status: 'NEW',
      lifecyclestage: 'salesqualifiedlead',
      rdc_lead_id: lead.lead.lead_id,
      rdc_tier: 'hot',
      rdc_score: '84',
      rdc_list_price: '489000',
      rdc_pre_approved: 'true',
    });
    expect(contact?.notes).toHaveLength(1);
    expect(contact?.notes[0]?.properties).toMatchObject({ hs_timestamp: lead.lead.timestamp });
    expect(contact?.notes[0]?.properties['hs_note_body']).toContain(`Message: ${lead.lead.message}`);

    const cold = anEnrichedLead('acct-b', { tier: 'cold' });
    await bed.produce([cold]);
    await expectEventually(() => expect(bed.delivered([cold.lead.lead_id])).toHaveLength(1));
    expect(
      (await sandbox.client.hubspotContact(cold.enrichment.normalized.email, { portal: PORTALS.b.id }))
        ?.properties['lifecyclestage'],
    ).toBe('lead');
  });

  it('the same lead sent to two accounts sharing one portal: one contact, a note for each account, none added on redelivery', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const agent = anEnrichedLead('acct-agent');
    const brokerage = { ...agent, routing: { ...agent.routing, account_id: 'acct-brokerage' } };
    await bed.produce([agent]);
    await expectEventually(() => expect(bed.delivered([agent.lead.lead_id])).toHaveLength(1));
    await bed.produce([brokerage, agent]);
    await expectEventually(() => expect(bed.delivered([agent.lead.lead_id])).toHaveLength(3));

    const contact = await sandbox.client.hubspotContact(agent.enrichment.normalized.email, {
      portal: PORTALS.a.id,
    });
    expect(
      contact?.notes.map((note) => note.properties['hs_note_body']?.split('<br>').at(-1)).sort(),
    ).toEqual([
      `Realtor.com lead id: ${agent.lead.lead_id} (account acct-agent)`,
      `Realtor.com lead id: ${agent.lead.lead_id} (account acct-brokerage)`,
    ]);
    expect(new Set(bed.delivered([agent.lead.lead_id]).map((event) => event.account_id))).toEqual(
      new Set(['acct-agent', 'acct-brokerage']),
    );
  });

  it('per person: a second inquiry updates the same contact and adds a note, also within one call', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const email = `Repeat.${Date.now()}@Example.com`;
    const first = anEnrichedLead('acct-a', { email, tier: 'cold', message: 'Is it still available?' });
    await bed.produce([first]);
    await expectEventually(() => expect(bed.delivered([first.lead.lead_id])).toHaveLength(1));

    const second = anEnrichedLead('acct-a', { email, tier: 'hot', message: 'Can I see it on Saturday?' });
    const third = anEnrichedLead('acct-a', { email, tier: 'warm', message: 'What are the HOA fees?' });
    await bed.produce([second, third]);
    await expectEventually(() => expect(bed.delivered(leadIdsOf([first, second, third]))).toHaveLength(3));

    const { records } = await sandbox.client.hubspotContacts(
      { email: email.toLowerCase() },
      { portal: PORTALS.a.id },
    );
    expect(records).toHaveLength(1);
    const [contact] = records;
    expect(contact?.writes).toBeGreaterThanOrEqual(2);
    expect(contact?.writes).toBeLessThanOrEqual(3);
    expect(contact?.notes.map((note) => note.properties['hs_note_body']?.split('<br>')[1])).toEqual(
      expect.arrayContaining([
        'Message: Is it still available?',
        'Message: Can I see it on Saturday?',
        'Message: What are the HOA fees?',
      ]),
    );
    expect(contact?.notes).toHaveLength(3);
    expect(
      new Set(bed.delivered(leadIdsOf([first, second, third])).map((event) => event.crm_record_id)),
    ).toEqual(new Set([contact?.id]));
  });

  it('applies an account’s mapping overrides', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const event = anEnrichedLead('acct-mapped', { tier: 'hot' });
    await bed.produce([event]);
    await expectEventually(() => expect(bed.delivered([event.lead.lead_id])).toHaveLength(1));
    const contact = await sandbox.client.hubspotContact(event.enrichment.normalized.email, {
      portal: PORTALS.b.id,
    });
    expect(contact?.properties).toMatchObject({
      company: 'acct-mapped buyer',
      hs_lead_status: 'OPEN',
      lifecyclestage: 'opportunity',
    });
    expect(contact?.properties).not.toHaveProperty('rdc_listing_url');
  });

  it("starts a lead's contact upsert while the previous lead's note is being created (pipelined)", async () => {
    const { bed, sandbox } = crm;
    await sandbox.client.setFaults('hubspot', { latency: { fixedMs: 1_000 } }, PORTALS.a.id);
    await bed.startApp(crm.env());
    const first = anEnrichedLead('acct-a');
    const next = anEnrichedLead('acct-a');
    const since = (await sandbox.client.requests({ crm: 'hubspot' })).last;
    const calls = async (endpoint: string) =>
      (await sandbox.client.requests({ crm: 'hubspot', tenant: PORTALS.a.id, endpoint, since })).entries;

    await bed.produce([first]);
    await expectEventually(async () => expect(await calls('hubspot.contacts.batch-upsert')).toHaveLength(1));
    await bed.produce([next]); // while the first lead's note is being created, a second of latency
    await expectEventually(() => expect(bed.delivered(leadIdsOf([first, next]))).toHaveLength(2));

    const [, nextUpsert] = await calls('hubspot.contacts.batch-upsert');
    const [firstNotes] = await calls('hubspot.notes.batch-create');
    const startOf = (entry: SandboxRequestLogEntry) => Date.parse(entry.at) - entry.durationMs;
    expect(nextUpsert && firstNotes).toBeDefined();
    expect(startOf(nextUpsert as SandboxRequestLogEntry)).toBeLessThan(
      Date.parse((firstNotes as SandboxRequestLogEntry).at),
    );
  });

  it('a lead posted again while its first copy is in flight still gets one note (pipelined)', async () => {
    const { bed, sandbox } = crm;
    await sandbox.client.setFaults('hubspot', { latency: { fixedMs: 1_000 } }, PORTALS.a.id);
    await bed.startApp(crm.env());
    const lead = anEnrichedLead('acct-a');
    const since = (await sandbox.client.requests({ crm: 'hubspot' })).last;
    const upserts = async () =>
      (
        await sandbox.client.requests({
          crm: 'hubspot',
          tenant: PORTALS.a.id,
          endpoint: 'hubspot.contacts.batch-upsert',
          since,
        })
      ).entries;

    await bed.produce([lead]);
    await expectEventually(async () => expect(await upserts()).toHaveLength(1));
    await bed.produce([lead]); // while the first copy's note is being created
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(2));

    const contact = await sandbox.client.hubspotContact(lead.enrichment.normalized.email, {
      portal: PORTALS.a.id,
    });
    expect(contact?.notes).toHaveLength(1);
  });
});
