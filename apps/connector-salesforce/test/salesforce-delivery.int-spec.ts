import { anEnrichedLead, expectEventually, leadIdsOf, useSandboxedConnector } from '@lead-delivery/testing';
import { ORGS, SALESFORCE_SANDBOXED, externalId } from './support/salesforce-sandbox';

/**
 * What Salesforce does beyond the kit's suite (salesforce-suite.int-spec.ts): its mapping, Leads per
 * person, accounts sharing an org, and its sessions (client credentials, JWT bearer, renewal).
 */
describe('connector-salesforce: Leads and Tasks in the Salesforce sandbox (real Kafka)', () => {
  const crm = useSandboxedConnector(SALESFORCE_SANDBOXED);

  it('maps a lead onto its Lead, with one session per org', async () => {
    await crm.bed.startApp(crm.env());
    const hot = anEnrichedLead('acct-a', { tier: 'hot' });
    const cold = anEnrichedLead('acct-b', { tier: 'cold' });
    const unlisted = anEnrichedLead('acct-unlisted');
    await crm.bed.produce([hot, cold, unlisted]);
    await expectEventually(() => expect(crm.bed.delivered(leadIdsOf([hot, cold, unlisted]))).toHaveLength(3));

    const lead = await crm.sandbox.client.salesforceLead(externalId('acct-a', hot.lead.lead_id), {
      org: ORGS.a.id,
    });
    expect(lead).toMatchObject({
      FirstName: 'Maria',
      LastName: 'Gonzalez',
      Company: 'Maria Gonzalez (Realtor.com consumer)',
      Email: hot.enrichment.normalized.email,
      LeadSource: 'Web',
      Rating: 'Hot',
      Status: 'Open - Not Contacted',
      PostalCode: '78704',
    });
    expect(String(lead?.['Description'])).toContain(`Message: ${hot.lead.message}`);
    expect(crm.bed.delivered([hot.lead.lead_id])[0]?.crm_record_id).toBe(lead?.Id);
    expect(
      (
        await crm.sandbox.client.salesforceLead(externalId('acct-b', cold.lead.lead_id), { org: ORGS.b.id })
      )?.['Rating'],
    ).toBe('Cold');
    const tokens = await crm.sandbox.client.requestCounts({ endpoint: 'salesforce.oauth.token' });
    expect(tokens.total).toBe(2); // one session per org (the unlisted account uses org a, as acct-a)
  });

  it('per person: a second inquiry updates the same Lead and adds a Task, also within one call', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const email = `repeat.${Date.now()}@example.com`;
    const first = anEnrichedLead('acct-person', { email, tier: 'cold', message: 'Is it still available?' });
    await bed.produce([first]);
    await expectEventually(() => expect(bed.delivered([first.lead.lead_id])).toHaveLength(1));

    const second = anEnrichedLead('acct-person', {
      email,
      tier: 'hot',
      message: 'Can I see it on Saturday?',
    });
    const third = anEnrichedLead('acct-person', { email, tier: 'warm', message: 'What are the HOA fees?' });
    await bed.produce([second, third]);
    await expectEventually(() => expect(bed.delivered(leadIdsOf([first, second, third]))).toHaveLength(3));

    const { records } = await sandbox.client.salesforceLeads(
      { Realtor_Person_Key__c: externalId('acct-person', email) },
      { org: ORGS.b.id },
    );
    expect(records).toHaveLength(1);
    const [lead] = records;
    expect(lead?.['Realtor_Lead_Id__c']).toBeUndefined();
    expect(lead?.writes).toBe(2);
    expect(lead?.tasks?.map((task) => String(task['Description']).split('\n')[1])).toEqual([
      'Message: Is it still available?',
      expect.stringMatching(/^Message: (Can I see it on Saturday\?|What are the HOA fees\?)$/),
      expect.stringMatching(/^Message: (Can I see it on Saturday\?|What are the HOA fees\?)$/),
    ]);
    expect(
      new Set(bed.delivered(leadIdsOf([first, second, third])).map((event) => event.crm_record_id)),
    ).toEqual(new Set([lead?.Id]));
  });

  it('keeps a Lead each for the same lead sent to two accounts sharing one org', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const agent = anEnrichedLead('acct-agent', { tier: 'hot' });
    const brokerage = { ...agent, routing: { ...agent.routing, account_id: 'acct-brokerage' } };
    await bed.produce([agent, brokerage]);
    await expectEventually(() => expect(bed.delivered([agent.lead.lead_id])).toHaveLength(2));

    const leads = await Promise.all(
      [agent, brokerage].map((event) =>
        sandbox.client.salesforceLead(externalId(event.routing.account_id, event.lead.lead_id), {
          org: ORGS.a.id,
        }),
      ),
    );
    expect(leads.map((lead) => lead?.writes)).toEqual([1, 1]);
    expect(leads[0]?.Id).not.toBe(leads[1]?.Id);
    expect(
      bed
        .delivered([agent.lead.lead_id])
        .map((event) => [event.account_id, event.crm_record_id])
        .sort(),
    ).toEqual([
      ['acct-agent', leads[0]?.Id],
      ['acct-brokerage', leads[1]?.Id],
    ]);
  });

  it('per person: the same inquiry sent to two accounts sharing one org is a Lead and a Task for each', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const agent = anEnrichedLead('acct-person', { email: `both.${Date.now()}@example.com` });
    const brokerage = { ...agent, routing: { ...agent.routing, account_id: 'acct-person-brokerage' } };
    await bed.produce([agent, brokerage]);
    await expectEventually(() => expect(bed.delivered([agent.lead.lead_id])).toHaveLength(2));
    // Redelivered: each account's Task is found by its own marker, none is added.
    await bed.produce([agent, brokerage]);
    await expectEventually(() => expect(bed.delivered([agent.lead.lead_id])).toHaveLength(4));

    for (const event of [agent, brokerage]) {
      const accountId = event.routing.account_id;
      const lead = await sandbox.client.salesforceLead(externalId(accountId, event.enrichment.person_key), {
        field: 'Realtor_Person_Key__c',
        org: ORGS.b.id,
      });
      expect(lead?.tasks?.map((task) => String(task['Description']).split('\n').at(-1))).toEqual([
        `Realtor.com lead id: ${event.lead.lead_id} (account ${accountId})`,
      ]);
    }
  });

  it('signs in with the JWT bearer flow', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const event = anEnrichedLead('acct-jwt');
    await bed.produce([event]);
    await expectEventually(() => expect(bed.delivered([event.lead.lead_id])).toHaveLength(1));
    expect(
      await sandbox.client.salesforceLead(externalId('acct-jwt', event.lead.lead_id), { org: ORGS.jwt.id }),
    ).toBeDefined();
  });

  it('renews an expired session once and then succeeds', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const before = anEnrichedLead('acct-a');
    await bed.produce([before]);
    await expectEventually(() => expect(bed.delivered([before.lead.lead_id])).toHaveLength(1));

    await sandbox.client.expireTokens('salesforce', 0, ORGS.a.id);
    const after = Array.from({ length: 5 }, () => anEnrichedLead('acct-a'));
    await bed.produce(after);
    await expectEventually(() => expect(bed.delivered(leadIdsOf(after))).toHaveLength(5));

    const tokens = await sandbox.client.requestCounts({
      endpoint: 'salesforce.oauth.token',
      tenant: ORGS.a.id,
    });
    expect(tokens.total).toBe(2);
    const upserts = await sandbox.client.requestCounts({
      endpoint: 'salesforce.collections.upsert',
      tenant: ORGS.a.id,
    });
    expect(upserts.byStatus['401']).toBe(1);
    expect(bed.deliveryEvents(leadIdsOf(after)).every((event) => event.outcome === 'delivered')).toBe(true);
  });
});
