import { CONNECTOR_IDS, type ConnectorId } from '@lead-delivery/contracts';
import type { CrmSandboxClient } from '@lead-delivery/testing';
import { crmCopies, crmCopiesOf } from './crm-records';
import type { Pipeline } from './pipeline';
import { reconcile } from './reconcile';

const copy = (accountId: string, leadId: string) => ({ accountId, leadId });

/**
 * A sandbox whose CRMs hold: L-1 in Salesforce and in HubSpot, L-2 twice in HubSpot and once in Follow Up
 * Boss, L-3 in Salesforce, and leads the e2e did not post (L-9, another account's L-2); any other registry
 * CRM holds none.
 */
const COPIES: Partial<Record<ConnectorId, Array<{ accountId: string; leadId: string }>>> = {
  salesforce: [copy('acct-a', 'L-1'), copy('acct-a', 'L-3'), copy('acct-a', 'L-9')],
  hubspot: [copy('acct-a', 'L-1'), copy('acct-a', 'L-2'), copy('acct-a', 'L-2'), copy('acct-b', 'L-2')],
  followupboss: [copy('acct-a', 'L-2')],
};
const sandbox = { leadCopies: async (crm: ConnectorId) => COPIES[crm] ?? [] } as unknown as CrmSandboxClient;

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
