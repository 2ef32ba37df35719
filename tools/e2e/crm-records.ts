import type { CrmSandboxClient } from '@lead-delivery/testing';

const ALL = 1_000_000;
const TOKEN = /[\w.@+-]+/g;

/** How many times each lead is in each CRM of the sandbox. */
export interface CrmCopies {
  salesforce: Map<string, number>;
  hubspot: Map<string, number>;
}

/**
 * Counts, for the given lead ids, their copies in the sandbox: Salesforce Leads carrying the lead id
 * (per-lead mode) plus Tasks naming it (per-person mode: one Lead per person, a Task per inquiry), and
 * HubSpot notes naming it (one contact per person, a note per inquiry). Any count above 1 is a duplicate.
 */
export async function crmCopies(sandbox: CrmSandboxClient, leadIds: Iterable<string>): Promise<CrmCopies> {
  const wanted = new Set(leadIds);
  const count = (map: Map<string, number>, texts: Array<string | undefined>) => {
    for (const text of texts) {
      const named = new Set((text ?? '').match(TOKEN)?.filter((token) => wanted.has(token)));
      named.forEach((leadId) => map.set(leadId, (map.get(leadId) ?? 0) + 1));
    }
  };
  // Every org and portal: accounts may have CRMs of their own.
  const summary = await sandbox.summary();
  const salesforce = new Map<string, number>();
  for (const { orgId: org } of summary.salesforce.orgs) {
    const [leads, tasks] = await Promise.all([
      sandbox.salesforceLeads({}, { org, limit: ALL }),
      sandbox.salesforceTasks({}, { org, limit: ALL }),
    ]);
    count(
      salesforce,
      leads.records.map((lead) => lead['Realtor_Lead_Id__c'] as string | undefined),
    );
    count(
      salesforce,
      tasks.records.map((task) => task['Description'] as string | undefined),
    );
  }
  const hubspot = new Map<string, number>();
  for (const { portalId: portal } of summary.hubspot.portals) {
    const notes = await sandbox.hubspotNotes({ portal, limit: ALL });
    count(
      hubspot,
      notes.records.map((note) => note.properties['hs_note_body']),
    );
  }
  return { salesforce, hubspot };
}

export async function crmCopiesOf(sandbox: CrmSandboxClient, leadId: string) {
  const copies = await crmCopies(sandbox, [leadId]);
  return { salesforce: copies.salesforce.get(leadId) ?? 0, hubspot: copies.hubspot.get(leadId) ?? 0 };
}
