import { HEADERS } from '@lead-delivery/contracts';
import {
  anEnrichedLead,
  type ConnectorTestBed,
  dlqCli,
  expectEventually,
  type RunningCrmSandbox,
  startCrmSandbox,
} from '@lead-delivery/testing';
import { hubspotTestBed } from './support/connector-test-bed';
import { PORTALS, SANDBOX_ENV, connectorEnv, writeAccountsFile } from './support/sandbox-portals';

describe('connector-hubspot: delivery into the HubSpot sandbox (real Kafka)', () => {
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

  const leadIds = (events: { lead: { lead_id: string } }[]) => events.map((event) => event.lead.lead_id);

  it('upserts each account’s leads into its own portal with a note each, and the same lead twice leaves one contact with one note', async () => {
    await bed.startApp(env);
    const ofA = Array.from({ length: 60 }, () => anEnrichedLead('acct-a', { tier: 'hot' }));
    const ofB = Array.from({ length: 40 }, () => anEnrichedLead('acct-b', { tier: 'cold' }));
    const ofDefault = Array.from({ length: 10 }, () => anEnrichedLead('acct-unlisted', { tier: 'warm' }));
    const all = [...ofA, ...ofB, ...ofDefault];
    const twice = ofB[0];
    await bed.produce(all);
    await bed.produce(twice ? [twice] : []);

    await expectEventually(() => expect(bed.delivered(leadIds(all))).toHaveLength(all.length + 1), {
      timeoutMs: 30_000,
    });
    const inA = await sandbox.client.hubspotContacts({}, { portal: PORTALS.a.id, limit: 1000 });
    const inB = await sandbox.client.hubspotContacts({}, { portal: PORTALS.b.id, limit: 1000 });
    expect(new Set(inA.records.map((contact) => contact.properties['rdc_lead_id']))).toEqual(
      new Set(leadIds([...ofA, ...ofDefault])),
    );
    expect(new Set(inB.records.map((contact) => contact.properties['rdc_lead_id']))).toEqual(
      new Set(leadIds(ofB)),
    );

    const lead = ofA[1];
    const contact = inA.records.find((record) => record.properties['rdc_lead_id'] === lead?.lead.lead_id);
    expect(contact?.properties).toMatchObject({
      email: lead?.enrichment.normalized.email,
      firstname: 'Maria',
      lastname: 'Gonzalez',
      phone: '+15125550142',
      address: '2104 Lakeview Dr',
      city: 'Austin',
      state: 'TX',
      zip: '78704',
      message: lead?.lead.message,
      hs_lead_status: 'NEW',
      lifecyclestage: 'salesqualifiedlead',
      rdc_tier: 'hot',
      rdc_score: '84',
      rdc_list_price: '489000',
      rdc_pre_approved: 'true',
    });
    expect(contact?.notes).toHaveLength(1);
    expect(contact?.notes[0]?.properties).toMatchObject({ hs_timestamp: lead?.lead.timestamp });
    expect(contact?.notes[0]?.properties['hs_note_body']).toContain(`Message: ${lead?.lead.message}`);
    expect(bed.delivered([lead?.lead.lead_id ?? '']).map((event) => event.crm_record_id)).toEqual([
      contact?.id,
    ]);

    const twiceContacts = await sandbox.client.hubspotContacts(
      { email: twice?.enrichment.normalized.email ?? '' },
      { portal: PORTALS.b.id },
    );
    expect(twiceContacts.count).toBe(1);
    expect(twiceContacts.records[0]?.notes).toHaveLength(1);
    expect(inB.records.every((record) => record.properties['lifecyclestage'] === 'lead')).toBe(true);

    const upserts = await sandbox.client.requestCounts({ endpoint: 'hubspot.contacts.batch-upsert' });
    expect(upserts.byStatus).toEqual({ '200': upserts.total });
    // 110 leads of 3 accounts, batched: an account's first lead leaves at once (adaptive batching), the
    // others follow in full batches behind its call; a few calls per account plus the repeat, not one per lead.
    expect(upserts.total).toBeLessThanOrEqual(10);
    const notes = await sandbox.client.requestCounts({ endpoint: 'hubspot.notes.batch-create' });
    expect(notes.records).toBe(all.length);
  });

  it('the same lead sent to two accounts sharing one portal: one contact, a note for each account, none added on redelivery', async () => {
    await bed.startApp(env);
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
    await bed.startApp(env);
    const email = `Repeat.${Date.now()}@Example.com`;
    const first = anEnrichedLead('acct-a', { email, tier: 'cold', message: 'Is it still available?' });
    await bed.produce([first]);
    await expectEventually(() => expect(bed.delivered([first.lead.lead_id])).toHaveLength(1));

    const second = anEnrichedLead('acct-a', { email, tier: 'hot', message: 'Can I see it on Saturday?' });
    const third = anEnrichedLead('acct-a', { email, tier: 'warm', message: 'What are the HOA fees?' });
    await bed.produce([second, third]);
    await expectEventually(() => expect(bed.delivered(leadIds([first, second, third]))).toHaveLength(3));

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
      new Set(bed.delivered(leadIds([first, second, third])).map((event) => event.crm_record_id)),
    ).toEqual(new Set([contact?.id]));
  });

  it('applies an account’s mapping overrides', async () => {
    await bed.startApp(env);
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

  it('dead-letters the contacts the portal refuses with its reason, delivers the rest, and delivers them on replay', async () => {
    await bed.startApp(env);
    await sandbox.client.setFaults(
      'hubspot',
      {
        validationRules: [{ field: 'lastname', pattern: '^Test', message: 'Test contacts are not accepted' }],
      },
      PORTALS.a.id,
    );
    const since = new Date().toISOString();
    const good = Array.from({ length: 8 }, () => anEnrichedLead('acct-a'));
    const bad = Array.from({ length: 3 }, () => {
      const event = anEnrichedLead('acct-a');
      event.lead.contact.last_name = 'Testperson';
      event.enrichment.normalized.last_name = 'Testperson';
      return event;
    });
    await bed.produce([...good.slice(0, 4), ...bad, ...good.slice(4)]);

    await expectEventually(() => expect(bed.deadLetters(leadIds(bad))).toHaveLength(3));
    await expectEventually(() => expect(bed.delivered(leadIds(good))).toHaveLength(8));
    for (const letter of bed.deadLetters(leadIds(bad))) {
      expect(letter.headers[HEADERS.errorKind]).toBe('rejected_by_crm');
      expect(letter.headers[HEADERS.errorReason]).toMatch(
        /^VALIDATION_ERROR: .*Test contacts are not accepted/,
      );
    }
    const upserts = await sandbox.client.requestCounts({ endpoint: 'hubspot.contacts.batch-upsert' });
    expect(upserts.total).toBeLessThanOrEqual(2); // per-input results (207): no split, no retry of the refused ones

    await sandbox.client.clearFaults('hubspot', PORTALS.a.id);
    const replay = dlqCli('replay', 'connector-hubspot', '--since', since);
    expect(replay.status).toBe(0);
    await expectEventually(() => expect(bed.delivered(leadIds(bad))).toHaveLength(3));
    for (const event of bad) {
      const contact = await sandbox.client.hubspotContact(event.enrichment.normalized.email, {
        portal: PORTALS.a.id,
      });
      expect(contact?.properties['lastname']).toBe('Testperson');
      expect(contact?.notes).toHaveLength(1);
    }
  });
});
