import type { CrmSandboxClient } from '@lead-delivery/testing';

const ALL = 1_000_000;
/** The marker line the connectors end every note and Task with (connector-kit's leadMarker). */
const MARKER = /^Realtor\.com lead id: (.+) \(account ([a-z0-9._-]+)\)$/;
/** A Salesforce per-lead upsert key: `<account>:<lead id>`. */
const EXTERNAL_ID = /^([a-z0-9._-]+):(.+)$/;

/** One account's lead, as the e2e posted it. */
export interface AccountLead {
  accountId: string;
  leadId: string;
}

export const accountLeadKey = ({ accountId, leadId }: AccountLead) => `${accountId}/${leadId}`;

/** How many times each account's lead is in each CRM of the sandbox, by accountLeadKey. */
export interface CrmCopies {
  salesforce: Map<string, number>;
  hubspot: Map<string, number>;
}

/**
 * Counts, for the given leads, their copies in the sandbox: Salesforce Leads keyed by the account and
 * lead id (per-lead mode) plus Tasks whose marker names the account's lead (per-person mode: one Lead per
 * person, a Task per inquiry), and HubSpot notes whose marker names it (one contact per person, a note
 * per inquiry). The same lead of two accounts is two leads; any count above 1 is a duplicate.
 */
export async function crmCopies(sandbox: CrmSandboxClient, leads: Iterable<AccountLead>): Promise<CrmCopies> {
  const wanted = new Set([...leads].map(accountLeadKey));
  const count = (map: Map<string, number>, found: Array<AccountLead | undefined>) => {
    for (const lead of found) {
      const key = lead && accountLeadKey(lead);
      if (key && wanted.has(key)) map.set(key, (map.get(key) ?? 0) + 1);
    }
  };
  // Every org and portal: accounts may have CRMs of their own.
  const summary = await sandbox.summary();
  const salesforce = new Map<string, number>();
  for (const { orgId: org } of summary.salesforce.orgs) {
    const [sfLeads, tasks] = await Promise.all([
      sandbox.salesforceLeads({}, { org, limit: ALL }),
      sandbox.salesforceTasks({}, { org, limit: ALL }),
    ]);
    count(
      salesforce,
      sfLeads.records.map((lead) => externalIdLead(lead['Realtor_Lead_Id__c'])),
    );
    count(
      salesforce,
      tasks.records.map((task) => markedLead(String(task['Description'] ?? '').split('\n'))),
    );
  }
  const hubspot = new Map<string, number>();
  for (const { portalId: portal } of summary.hubspot.portals) {
    const notes = await sandbox.hubspotNotes({ portal, limit: ALL });
    count(
      hubspot,
      // e2e lead ids have no characters HTML escapes, so the note's marker line reads as written.
      notes.records.map((note) => markedLead((note.properties['hs_note_body'] ?? '').split(/<br\s*\/?>/))),
    );
  }
  return { salesforce, hubspot };
}

export async function crmCopiesOf(sandbox: CrmSandboxClient, lead: AccountLead) {
  const copies = await crmCopies(sandbox, [lead]);
  const key = accountLeadKey(lead);
  return { salesforce: copies.salesforce.get(key) ?? 0, hubspot: copies.hubspot.get(key) ?? 0 };
}

function markedLead(lines: string[]): AccountLead | undefined {
  for (const line of lines) {
    const match = MARKER.exec(line.trim());
    if (match) return { leadId: match[1] as string, accountId: match[2] as string };
  }
  return undefined;
}

function externalIdLead(value: unknown): AccountLead | undefined {
  const match = typeof value === 'string' ? EXTERNAL_ID.exec(value) : null;
  return match ? { accountId: match[1] as string, leadId: match[2] as string } : undefined;
}
