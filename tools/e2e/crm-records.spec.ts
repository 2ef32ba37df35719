import { CONNECTOR_IDS } from '@lead-delivery/contracts';
import type { CrmSandboxClient } from '@lead-delivery/testing';
import { crmCopies, crmCopiesOf } from './crm-records';
import type { Pipeline } from './pipeline';
import { reconcile } from './reconcile';

const marker = (leadId: string, account: string) => `Realtor.com lead id: ${leadId} (account ${account})`;

/**
 * A sandbox holding: L-1 as a Salesforce Lead and as a HubSpot note, L-2 twice in HubSpot and once as a
 * Follow Up Boss event, L-3 as a Task.
 */
const sandbox = {
  summary: async () => ({
    salesforce: { orgs: [{ orgId: 'org-1' }] },
    hubspot: { portals: [{ portalId: 'portal-1' }, { portalId: 'portal-2' }] },
  }),
  salesforceLeads: async () => ({
    records: [{ Realtor_Lead_Id__c: 'acct-a:L-1' }, { Realtor_Lead_Id__c: 7 }],
  }),
  salesforceTasks: async () => ({ records: [{ Description: `call back\n${marker('L-3', 'acct-a')}` }] }),
  hubspotNotes: async ({ portal }: { portal: string }) => ({
    records:
      portal === 'portal-1'
        ? [{ properties: { hs_note_body: `hello<br/>${marker('L-1', 'acct-a')}` } }]
        : [
            { properties: { hs_note_body: marker('L-2', 'acct-a') } },
            { properties: { hs_note_body: `x<br>${marker('L-2', 'acct-a')}` } },
            { properties: { hs_note_body: marker('L-2', 'acct-b') } },
          ],
  }),
  followupbossEvents: async () => [
    { accountId: '3000001', personId: 1, description: `Score 80\n${marker('L-2', 'acct-a')}` },
    { accountId: '3000001', personId: 1 },
  ],
} as unknown as CrmSandboxClient;

describe('CRM copies and reconciliation, per registry connector', () => {
  it('counts each lead of the account in every CRM of the registry', async () => {
    const copies = await crmCopies(sandbox, [
      { accountId: 'acct-a', leadId: 'L-1' },
      { accountId: 'acct-a', leadId: 'L-2' },
      { accountId: 'acct-a', leadId: 'L-3' },
    ]);
    expect(Object.keys(copies)).toEqual(CONNECTOR_IDS);
    expect(Object.fromEntries(copies.salesforce)).toEqual({ 'acct-a/L-1': 1, 'acct-a/L-3': 1 });
    expect(Object.fromEntries(copies.hubspot)).toEqual({ 'acct-a/L-1': 1, 'acct-a/L-2': 2 });
    expect(Object.fromEntries(copies.followupboss)).toEqual({ 'acct-a/L-2': 1 });
    expect(await crmCopiesOf(sandbox, { accountId: 'acct-b', leadId: 'L-2' })).toMatchObject({
      salesforce: 0,
      hubspot: 1,
    });
  });

  it('reconciles routed and delivered leads for every CRM of the registry', async () => {
    const pipeline = {
      sandbox,
      query: async (sql: string) =>
        sql.includes('FROM leads')
          ? [
              { lead_id: 'L-1', destinations: ['salesforce', 'hubspot'] },
              { lead_id: 'L-2', destinations: ['hubspot'] },
              { lead_id: 'L-4', destinations: ['salesforce'] },
            ]
          : [],
    } as unknown as Pipeline;
    const result = await reconcile(pipeline, 'acct-a', ['L-1', 'L-2', 'L-4']);
    expect(Object.keys(result.routed)).toEqual(CONNECTOR_IDS);
    expect(result).toMatchObject({
      persisted: 3,
      routed: { salesforce: 2, hubspot: 2 },
      delivered: { salesforce: 1, hubspot: 2 },
      duplicates: 1,
      missing: ['L-4→salesforce'],
    });
  });
});
