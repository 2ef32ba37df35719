import { HEADERS, type LeadEnrichedV1 } from '@lead-delivery/contracts';
import {
  anEnrichedLead,
  type ConnectorTestBed,
  dlqCli,
  expectEventually,
  type RunningCrmSandbox,
  startCrmSandbox,
} from '@lead-delivery/testing';
import { salesforceTestBed } from './support/connector-test-bed';
import { ORGS, SANDBOX_ENV, connectorEnv, externalId, writeAccountsFile } from './support/sandbox-orgs';

describe('connector-salesforce: delivery into the Salesforce sandbox (real Kafka)', () => {
  let sandbox: RunningCrmSandbox;
  let bed: ConnectorTestBed;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startCrmSandbox(SANDBOX_ENV);
    bed = await salesforceTestBed().setUp();
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
  const keysOf = (events: LeadEnrichedV1[]) =>
    events.map((event) => externalId(event.routing.account_id, event.lead.lead_id));

  it('upserts each account’s leads into its own org, batched, mapped, and the same lead twice leaves one Lead', async () => {
    await bed.startApp(env);
    const ofA = Array.from({ length: 60 }, () => anEnrichedLead('acct-a', { tier: 'hot' }));
    const ofB = Array.from({ length: 40 }, () => anEnrichedLead('acct-b', { tier: 'cold' }));
    const ofDefault = Array.from({ length: 10 }, () => anEnrichedLead('acct-unlisted'));
    const twice = ofA[0];
    await bed.produce([...ofA, ...ofB, ...ofDefault]);
    await bed.produce(twice ? [twice] : []);
    const all = [...ofA, ...ofB, ...ofDefault];

    await expectEventually(() => expect(bed.delivered(leadIds(all))).toHaveLength(all.length + 1), {
      timeoutMs: 30_000,
    });
    const inA = await sandbox.client.salesforceLeads({}, { org: ORGS.a.id, limit: 1000 });
    const inB = await sandbox.client.salesforceLeads({}, { org: ORGS.b.id, limit: 1000 });
    expect(new Set(inA.records.map((lead) => lead['Realtor_Lead_Id__c']))).toEqual(
      new Set(keysOf([...ofA, ...ofDefault])),
    );
    expect(new Set(inB.records.map((lead) => lead['Realtor_Lead_Id__c']))).toEqual(new Set(keysOf(ofB)));

    const first = inA.records.find(
      (lead) => twice && lead['Realtor_Lead_Id__c'] === externalId('acct-a', twice.lead.lead_id),
    );
    expect(first).toMatchObject({
      FirstName: 'Maria',
      LastName: 'Gonzalez',
      Company: 'Maria Gonzalez (Realtor.com consumer)',
      Email: twice?.enrichment.normalized.email,
      LeadSource: 'Web',
      Rating: 'Hot',
      Status: 'Open - Not Contacted',
      PostalCode: '78704',
    });
    expect(String(first?.['Description'])).toContain(`Message: ${twice?.lead.message}`);
    expect(inB.records.every((lead) => lead['Rating'] === 'Cold')).toBe(true);
    const events = bed.delivered(leadIds(all));
    expect(events.find((event) => event.lead_id === twice?.lead.lead_id)?.crm_record_id).toBe(first?.Id);

    const upserts = await sandbox.client.requestCounts({ endpoint: 'salesforce.collections.upsert' });
    expect(upserts.byStatus).toEqual({ '200': upserts.total });
    // 110 leads of 3 accounts, batched: an account's first lead leaves at once (adaptive batching), the
    // others follow in full batches behind its call; a few calls per account plus the repeat, not one per lead.
    expect(upserts.total).toBeLessThanOrEqual(10);
    const tokens = await sandbox.client.requestCounts({ endpoint: 'salesforce.oauth.token' });
    expect(tokens.total).toBe(2); // one session per org
  });

  it('per person: a second inquiry updates the same Lead and adds a Task, also within one call', async () => {
    await bed.startApp(env);
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
    await expectEventually(() => expect(bed.delivered(leadIds([first, second, third]))).toHaveLength(3));

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
      new Set(bed.delivered(leadIds([first, second, third])).map((event) => event.crm_record_id)),
    ).toEqual(new Set([lead?.Id]));
  });

  it('keeps a Lead each for the same lead sent to two accounts sharing one org', async () => {
    await bed.startApp(env);
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
    await bed.startApp(env);
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
    await bed.startApp(env);
    const event = anEnrichedLead('acct-jwt');
    await bed.produce([event]);
    await expectEventually(() => expect(bed.delivered([event.lead.lead_id])).toHaveLength(1));
    expect(
      await sandbox.client.salesforceLead(externalId('acct-jwt', event.lead.lead_id), { org: ORGS.jwt.id }),
    ).toBeDefined();
  });

  it('dead-letters the records the org refuses with its reason, delivers the rest, and delivers them on replay', async () => {
    await bed.startApp(env);
    await sandbox.client.setFaults(
      'salesforce',
      { validationRules: [{ field: 'LastName', pattern: '^Test', message: 'Test leads are not accepted' }] },
      ORGS.a.id,
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
      expect(letter.headers[HEADERS.errorReason]).toBe(
        'FIELD_CUSTOM_VALIDATION_EXCEPTION: Test leads are not accepted [LastName]',
      );
    }
    const upserts = await sandbox.client.requestCounts({ endpoint: 'salesforce.collections.upsert' });
    expect(upserts.total).toBeLessThanOrEqual(2); // per-record results: no split, no retry of the refused ones

    await sandbox.client.clearFaults('salesforce', ORGS.a.id);
    const replay = dlqCli('replay', 'connector-salesforce', '--since', since);
    expect(replay.status).toBe(0);
    await expectEventually(() => expect(bed.delivered(leadIds(bad))).toHaveLength(3));
    for (const event of bad) {
      expect(
        await sandbox.client.salesforceLead(externalId('acct-a', event.lead.lead_id), { org: ORGS.a.id }),
      ).toMatchObject({
        LastName: 'Testperson',
      });
    }
  });
});
