import { CONNECTOR_IDS, type ConnectorId } from '@lead-delivery/contracts';
import type { CrmSandboxClient } from '@lead-delivery/testing';

/** One account's lead, as the e2e posted it. */
export interface AccountLead {
  accountId: string;
  leadId: string;
}

export const accountLeadKey = ({ accountId, leadId }: AccountLead) => `${accountId}/${leadId}`;

/** How many times each account's lead is in each CRM of the sandbox (a registry connector), by accountLeadKey. */
export type CrmCopies = Record<ConnectorId, Map<string, number>>;

/**
 * Counts, for the given leads, their copies in each CRM; the same lead of two accounts is two leads, any count
 * above 1 a duplicate. Each CRM module of the sandbox lists its copies (`leadCopies`) across its tenants:
 * accounts may have CRMs of their own.
 */
export async function crmCopies(sandbox: CrmSandboxClient, leads: Iterable<AccountLead>): Promise<CrmCopies> {
  const wanted = new Set([...leads].map(accountLeadKey));
  const counts = await Promise.all(
    CONNECTOR_IDS.map(async (crm) => {
      const map = new Map<string, number>();
      for (const copy of await sandbox.leadCopies(crm)) {
        const key = accountLeadKey(copy);
        if (wanted.has(key)) map.set(key, (map.get(key) ?? 0) + 1);
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
