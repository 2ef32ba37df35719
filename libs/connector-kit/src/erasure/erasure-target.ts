import { ConnectorError } from '../connector/connector.error';
import type { LeadRef } from '../mapping/lead-marker';
import type { ErasureCommand } from './crm-eraser';

/** An account as an eraser looks it up: its credentials, when it has any. */
export interface CredentialedAccount {
  credentials: unknown;
}

/** What an erasure works on in one account's CRM. */
export interface ErasureTarget<Account extends CredentialedAccount> {
  account: Account;
  credentials: NonNullable<Account['credentials']>;
  /** The CRM records the person's leads were delivered to, each once. */
  recordIds: string[];
  /** How many of the person's leads have no known CRM record. */
  withoutRecord: number;
  /** The person's leads, as their lead markers name them. */
  leads: LeadRef[];
}

/**
 * The start of every erasure: the command's account and its credentials, and the distinct CRM records of
 * the person's leads. An account without credentials is refused as `auth` (`<missing> for account <id>`),
 * which the erasure runtime retries until they are configured.
 */
export function erasureTargetOf<Account extends CredentialedAccount>(
  { accountId, records }: ErasureCommand,
  accounts: { of(accountId: string): Account },
  missing: string,
): ErasureTarget<Account> {
  const account = accounts.of(accountId);
  const credentials: Account['credentials'] = account.credentials;
  if (!credentials) throw new ConnectorError('auth', `${missing} for account ${accountId}`);
  return {
    account,
    credentials,
    recordIds: [...new Set(records.flatMap((record) => record.crmRecordId ?? []))],
    withoutRecord: records.filter((record) => record.crmRecordId === null).length,
    leads: records.map((record) => ({ accountId, leadId: record.leadId })),
  };
}
