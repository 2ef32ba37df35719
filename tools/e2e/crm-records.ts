import { CONNECTOR_IDS, type ConnectorId } from '@lead-delivery/contracts';
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

/** How many times each account's lead is in each CRM of the sandbox (a registry connector), by accountLeadKey. */
export type CrmCopies = Record<ConnectorId, Map<string, number>>;

/** The account leads of every copy one CRM of the sandbox holds, across its tenants (one entry per copy). */
type CopiesInCrm = (sandbox: CrmSandboxClient) => Promise<Array<AccountLead | undefined>>;

/**
 * How a lead shows in each CRM: Salesforce Leads keyed by the account and lead id (per-lead mode) plus
 * Tasks whose marker names the account's lead (per-person mode: one Lead per person, a Task per inquiry);
 * HubSpot notes whose marker names it (one contact per person, a note per inquiry); Follow Up Boss events
 * whose description ends with it (one event per inquiry). Every org, portal and account:
 * accounts may have CRMs of their own.
 */
const COPIES_IN: Record<ConnectorId, CopiesInCrm> = {
  salesforce: async (sandbox) => {
    const copies: Array<AccountLead | undefined> = [];
    for (const { orgId: org } of (await sandbox.summary()).salesforce.orgs) {
      const [sfLeads, tasks] = await Promise.all([
        sandbox.salesforceLeads({}, { org, limit: ALL }),
        sandbox.salesforceTasks({}, { org, limit: ALL }),
      ]);
      copies.push(...sfLeads.records.map((lead) => externalIdLead(lead['Realtor_Lead_Id__c'])));
      copies.push(...tasks.records.map((task) => markedLead(String(task['Description'] ?? '').split('\n'))));
    }
    return copies;
  },
  hubspot: async (sandbox) => {
    const copies: Array<AccountLead | undefined> = [];
    for (const { portalId: portal } of (await sandbox.summary()).hubspot.portals) {
      const notes = await sandbox.hubspotNotes({ portal, limit: ALL });
      // e2e lead ids have no characters HTML escapes, so the note's marker line reads as written.
      copies.push(
        ...notes.records.map((note) =>
          markedLead((note.properties['hs_note_body'] ?? '').split(/<br\s*\/?>/)),
        ),
      );
    }
    return copies;
  },
  followupboss: async (sandbox) =>
    (await sandbox.followupbossEvents()).map((event) => markedLead((event.description ?? '').split('\n'))),
};

/** Counts, for the given leads, their copies in each CRM; the same lead of two accounts is two leads, any count above 1 a duplicate. */
export async function crmCopies(sandbox: CrmSandboxClient, leads: Iterable<AccountLead>): Promise<CrmCopies> {
  const wanted = new Set([...leads].map(accountLeadKey));
  const counts = await Promise.all(
    CONNECTOR_IDS.map(async (crm) => {
      const map = new Map<string, number>();
      for (const lead of await COPIES_IN[crm](sandbox)) {
        const key = lead && accountLeadKey(lead);
        if (key && wanted.has(key)) map.set(key, (map.get(key) ?? 0) + 1);
      }
      return [crm, map] as const;
    }),
  );
  return Object.fromEntries(counts) as CrmCopies;
}

export async function crmCopiesOf(
  sandbox: CrmSandboxClient,
  lead: AccountLead,
): Promise<Record<ConnectorId, number>> {
  const copies = await crmCopies(sandbox, [lead]);
  const key = accountLeadKey(lead);
  return Object.fromEntries(CONNECTOR_IDS.map((crm) => [crm, copies[crm].get(key) ?? 0])) as Record<
    ConnectorId,
    number
  >;
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
