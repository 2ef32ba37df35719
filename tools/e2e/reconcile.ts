import { CONNECTOR_IDS, type ConnectorId } from '@lead-delivery/contracts';
import { accountLeadKey, crmCopies, type AccountLead } from './crm-records';
import type { Pipeline } from './pipeline';

export interface Reconciliation {
  accepted: number;
  persisted: number;
  /** Per CRM: leads routed there, and those in it exactly once. */
  routed: Record<ConnectorId, number>;
  delivered: Record<ConnectorId, number>;
  duplicates: number;
  deadLettered: number;
  /** Accepted leads missing from PostgreSQL, or routed to a CRM and not in it (dead letters excluded). */
  missing: string[];
}

const perCrm = () => Object.fromEntries(CONNECTOR_IDS.map((crm) => [crm, 0])) as Record<ConnectorId, number>;

/**
 * Every lead an account had accepted against PostgreSQL (persistence) and the CRM sandbox (connectors);
 * a lead is (account, lead_id).
 */
export async function reconcile(
  pipeline: Pipeline,
  accountId: string,
  accepted: string[],
): Promise<Reconciliation> {
  const rows = await pipeline.query<{ lead_id: string; destinations: string[] | null }>(
    `SELECT lead_id, destinations FROM leads
     WHERE account_id = $1 AND lead_id = ANY($2) AND received_at IS NOT NULL`,
    [accountId, accepted],
  );
  const dead = await pipeline.query<{ lead_id: string; destination: string }>(
    `SELECT lead_id, destination FROM crm_deliveries
     WHERE account_id = $1 AND lead_id = ANY($2) AND status = 'dead_lettered'`,
    [accountId, accepted],
  );
  const deadLetters = new Set(dead.map((row) => `${row.lead_id}/${row.destination}`));
  const leadOf = (leadId: string): AccountLead => ({ accountId, leadId });
  const copies = await crmCopies(pipeline.sandbox, accepted.map(leadOf));
  const persisted = new Map(rows.map((row) => [row.lead_id, row.destinations]));

  const result: Reconciliation = {
    accepted: accepted.length,
    persisted: persisted.size,
    routed: perCrm(),
    delivered: perCrm(),
    duplicates: 0,
    deadLettered: deadLetters.size,
    missing: accepted.filter((leadId) => !persisted.has(leadId)),
  };
  for (const [leadId, destinations] of persisted) {
    for (const crm of CONNECTOR_IDS) {
      const count = copies[crm].get(accountLeadKey(leadOf(leadId))) ?? 0;
      result.duplicates += Math.max(0, count - 1);
      if (!destinations?.includes(crm)) continue;
      result.routed[crm] += 1;
      if (count >= 1) result.delivered[crm] += 1;
      else if (!deadLetters.has(`${leadId}/${crm}`)) result.missing.push(`${leadId}→${crm}`);
    }
  }
  // An enriched event not yet stored (destinations still null) counts as missing too.
  for (const [leadId, destinations] of persisted)
    if (destinations === null) result.missing.push(`${leadId} (not enriched)`);
  return result;
}
