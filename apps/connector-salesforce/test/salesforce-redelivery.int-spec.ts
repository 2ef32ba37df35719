import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { anEnrichedLead, expectEventually, useSandboxedConnector } from '@lead-delivery/testing';
import { ORGS, SALESFORCE_SANDBOXED, externalId } from './support/salesforce-sandbox';

/**
 * Beyond the kit's redelivery suite (salesforce-suite.int-spec.ts): a lead Salesforce may hold from before
 * the delivery ledger is looked up through the query's pages (`nextRecordsUrl`). `acct-person` delivers
 * per person into org b.
 */
describe('connector-salesforce: one Task per lead under redelivery, through query paging (sandbox, real Kafka)', () => {
  const crm = useSandboxedConnector(SALESFORCE_SANDBOXED);
  const personLead = (email?: string) => anEnrichedLead('acct-person', email ? { email } : {});
  const tasksOf = async (event: LeadEnrichedV1) =>
    (
      await crm.sandbox.client.salesforceLead(externalId('acct-person', event.enrichment.person_key), {
        field: 'Realtor_Person_Key__c',
        org: ORGS.b.id,
      })
    )?.tasks ?? [];
  const markedFor = (leadId: string) => (task: Record<string, unknown>) =>
    String(task['Description']).endsWith(`Realtor.com lead id: ${leadId} (account acct-person)`);
  const calls = (endpoint: string) => crm.sandbox.client.requestCounts({ endpoint, tenant: ORGS.b.id });

  it('a lead from before the ledger is looked up, and found among more Tasks than one page of the query holds', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
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
