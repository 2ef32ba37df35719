import type { CallBudget, Credential } from '../budget/call-budget';
import type { ConnectorError } from '../connector/connector.error';

/** One lead of the person in the account: ids only. */
export interface ErasureTargetRecord {
  leadId: string;
  /** The CRM record its delivery wrote (Salesforce Lead id, HubSpot contact id), when persistence knows it. */
  crmRecordId: string | null;
}

/** Erase, in one account's CRM org or portal, what the platform wrote for one person. */
export interface ErasureCommand {
  erasureId: string;
  accountId: string;
  records: ErasureTargetRecord[];
}

/** How the CRM was cleared (`gdpr_delete`, `deleted`, `anonymised`, …) and what each step touched. */
export interface ErasureReport {
  method: string;
  counts: Record<string, number>;
}

/** What an erasure runs under. */
export interface ErasureContext {
  /** Aborted at shutdown. */
  signal: AbortSignal;
  /**
   * The call budget of the account's credential, the one its deliveries draw from (shared by every
   * replica): `acquire()` before every HTTP request, `report()` the rate-limit headers of every answer.
   */
  budget: CallBudget;
}

/**
 * The erasure side of a connector; the kit consumes the erasure requests addressed to its destination and
 * publishes the outcomes. `erase` must be idempotent (a redelivered request finds less or nothing left,
 * and a record already gone counts as erased). Throws when the CRM call failed; `classify` says whether
 * to retry (every kind but `rejected`) or give up (`rejected`: dead-lettered, the outcome says why).
 */
export interface CrmEraser {
  readonly destination: string;
  erase(command: ErasureCommand, context: ErasureContext): Promise<ErasureReport>;
  classify(error: unknown): ConnectorError;
  /** The credential of the account's calls, as the connector's `credentialOf`; without it, the account's own. */
  credentialOf?(accountId: string): Credential;
}
