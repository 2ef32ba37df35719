import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import {
  anEnrichedLead,
  type ConnectorTestBed,
  expectEventually,
  type RunningCrmSandbox,
  startCrmSandbox,
} from '@lead-delivery/testing';
import { salesforceTestBed } from './support/connector-test-bed';
import { ORGS, SANDBOX_ENV, connectorEnv, externalId, writeAccountsFile } from './support/sandbox-orgs';

/**
 * "Each routed CRM once in effect" for per-person Tasks: a lead that reaches the connector again (posted
 * twice, or redelivered because its offset was not committed) must not leave a second Task on its Lead.
 * `acct-person` delivers per person into org b.
 */
describe('connector-salesforce: one Task per lead under redelivery (sandbox, real Kafka)', () => {
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

  const personLead = (email?: string) => anEnrichedLead('acct-person', email ? { email } : {});
  const tasksOf = async (event: LeadEnrichedV1) =>
    (
      await sandbox.client.salesforceLead(externalId('acct-person', event.enrichment.person_key), {
        field: 'Realtor_Person_Key__c',
        org: ORGS.b.id,
      })
    )?.tasks ?? [];
  const markedFor = (leadId: string) => (task: Record<string, unknown>) =>
    String(task['Description']).endsWith(`Realtor.com lead id: ${leadId} (account acct-person)`);
  const calls = (endpoint: string) => sandbox.client.requestCounts({ endpoint, tenant: ORGS.b.id });

  it('the same enriched lead delivered twice leaves one Task; the second is settled from the ledger', async () => {
    await bed.startApp(env);
    const lead = personLead();
    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1));
    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(2));

    const tasks = await tasksOf(lead);
    expect(tasks).toHaveLength(1);
    expect(tasks.filter(markedFor(lead.lead.lead_id))).toHaveLength(1);
    // First delivery: upsert (created) + create. Second: the delivery ledger knows the lead written; no call.
    expect((await calls('salesforce.collections.upsert')).total).toBe(1);
    expect((await calls('salesforce.collections.create')).total).toBe(1);
    expect((await calls('salesforce.query')).total).toBe(0);
  });

  it('a connector stopped after Salesforce saved the Task but before the offset was committed: after restart, still one Task', async () => {
    // The Tasks call is carried out, but its answer does not come before the app is gone.
    await sandbox.client.loseAnswers(
      'salesforce',
      { count: 1, endpoint: 'salesforce.collections.create', afterMs: 5_000 },
      ORGS.b.id,
    );
    await bed.startApp({ ...env, CONNECTOR_SHUTDOWN_GRACE_MS: '200' });
    const lead = personLead();
    await bed.produce([lead]);
    await expectEventually(async () => expect(await tasksOf(lead)).toHaveLength(1));

    await bed.stopApps(); // the call never answered within the grace period: abandoned, nothing committed
    expect(bed.deliveryEvents([lead.lead.lead_id])).toHaveLength(0);

    await bed.startApp(env);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1), {
      timeoutMs: 30_000,
    });
    const tasks = await tasksOf(lead);
    expect(tasks).toHaveLength(1);
    expect(bed.delivered([lead.lead.lead_id])[0]?.crm_record_id).toBe(tasks[0]?.['WhoId']);
    expect((await calls('salesforce.query')).total).toBe(1);
    await expectEventually(
      async () =>
        expect(await calls('salesforce.collections.create')).toMatchObject({
          total: 1,
          byFault: { 'lost-answer': 1 },
        }),
      { timeoutMs: 10_000 },
    );
  });

  it('a Tasks call whose answer is lost is retried by querying first, not by creating again', async () => {
    await bed.startApp(env);
    await sandbox.client.loseAnswers(
      'salesforce',
      { count: 1, endpoint: 'salesforce.collections.create' },
      ORGS.b.id,
    );
    const leads = Array.from({ length: 5 }, () => personLead());
    await bed.produce(leads);
    await expectEventually(() =>
      expect(bed.delivered(leads.map((lead) => lead.lead.lead_id))).toHaveLength(5),
    );
    for (const lead of leads) expect(await tasksOf(lead)).toHaveLength(1);
    const created = await calls('salesforce.collections.create');
    expect(created.byFault).toEqual({ 'lost-answer': 1 });
    expect(created.records).toBe(5);
  });

  it('a lead from before the ledger is looked up, and found among more Tasks than one page of the query holds', async () => {
    await bed.startApp(env);
    // Its Task was written by a version without the ledger: the ledger cannot vouch for it.
    const first = anEnrichedLead('acct-person', { timestamp: '2026-01-31T17:04:05.000Z' });
    await sandbox.client.seedHistory(
      'salesforce',
      {
        accountId: 'acct-person',
        people: [
          {
            email: first.lead.contact.email,
            key: externalId('acct-person', first.enrichment.person_key),
            leadIds: [first.lead.lead_id],
          },
        ],
      },
      ORGS.b.id,
    );
    const whoId = String((await tasksOf(first))[0]?.['WhoId']);
    // 2,000 more Tasks, as a busy Lead collects them from its owner's calls and emails.
    const token = await salesforceToken(sandbox.url, ORGS.b);
    for (let batch = 0; batch < 10; batch += 1) {
      const response = await fetch(`${sandbox.url}/services/data/v62.0/composite/sobjects`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          allOrNone: true,
          records: Array.from({ length: 200 }, (_, index) => ({
            attributes: { type: 'Task' },
            WhoId: whoId,
            Subject: `Call back ${batch}.${index}`,
          })),
        }),
      });
      expect(response.status).toBe(200);
    }
    await sandbox.client.clearRequests();

    await bed.produce([first]);
    await expectEventually(() => expect(bed.delivered([first.lead.lead_id])).toHaveLength(1));
    // 2,001 Tasks: the query's first page holds 2,000, nextRecordsUrl the rest; nothing created.
    expect((await calls('salesforce.query')).total).toBe(1);
    expect((await calls('salesforce.query.more')).total).toBe(1);
    expect((await calls('salesforce.collections.create')).total).toBe(0);

    // A new inquiry of the same person: the ledger knows it unwritten, so the Tasks are not queried.
    await sandbox.client.clearRequests();
    const second = personLead(first.lead.contact.email);
    await bed.produce([second]);
    await expectEventually(() => expect(bed.delivered([second.lead.lead_id])).toHaveLength(1));
    expect((await calls('salesforce.query')).total).toBe(0);
    const tasks = await tasksOf(first);
    expect(tasks).toHaveLength(2_002);
    expect(tasks.filter(markedFor(first.lead.lead_id))).toHaveLength(1);
    expect(tasks.filter(markedFor(second.lead.lead_id))).toHaveLength(1);
  });
});

async function salesforceToken(
  url: string,
  org: { clientId: string; clientSecret: string },
): Promise<string> {
  const response = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: org.clientId,
      client_secret: org.clientSecret,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
