import type {
  CrmLeadRecord,
  CrmReader,
  CrmSandboxClient,
  SandboxedConnectorSetup,
} from '@lead-delivery/testing';
import { writeAccountsFile } from './accounts';
import { FOLLOWUPBOSS_CONNECTOR, SYSTEM, type SandboxPerson } from './followupboss-sandbox';

/** Follow Up Boss accounts of the crm-sandbox (the suite's tenants) and their API keys. */
export const FUB_ACCOUNTS = {
  a: { id: '3000011', apiKey: 'fub-suite-key-a' },
  b: { id: '3000012', apiKey: 'fub-suite-key-b' },
};

const MARKER = /^Realtor\.com lead id: (\S+) \(account \S+\)$/;

/** The connector against the crm-sandbox (Follow Up Boss loaded from the registry) with the suite's accounts. */
export const FOLLOWUPBOSS_SANDBOXED: SandboxedConnectorSetup = {
  connector: FOLLOWUPBOSS_CONNECTOR,
  sandboxEnv: {
    FOLLOWUPBOSS_ACCOUNTS: Object.values(FUB_ACCOUNTS)
      .map(({ id, apiKey }) => `${id}:${apiKey}`)
      .join(','),
    FOLLOWUPBOSS_SYSTEMS: `${SYSTEM.name}:${SYSTEM.key}`,
  },
  connectorEnv: (url) => ({
    FOLLOWUPBOSS_BASE_URL: url,
    FOLLOWUPBOSS_API_TOKEN: FUB_ACCOUNTS.a.apiKey,
    FOLLOWUPBOSS_SYSTEM: SYSTEM.name,
    FOLLOWUPBOSS_SYSTEM_KEY: SYSTEM.key,
    CONNECTOR_ACCOUNTS_FILE: writeAccountsFile({
      accounts: {
        'acct-a': { credentials: { apiKey: FUB_ACCOUNTS.a.apiKey } },
        'acct-b': { credentials: { apiKey: FUB_ACCOUNTS.b.apiKey } },
      },
    }),
    CONNECTOR_BACKOFF_INITIAL_MS: '50',
    CONNECTOR_BACKOFF_MAX_MS: '500',
    CONNECTOR_PARK_DELAY_INITIAL_MS: '500',
    CONNECTOR_PARK_DELAY_MAX_MS: '1000',
    CONNECTOR_BREAKER_HALF_OPEN_MS: '1000',
  }),
};

/** Calls the sandbox's Follow Up Boss admin API (`/sandbox/followupboss/…`). */
export async function followupbossAdmin(
  client: CrmSandboxClient,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${client.baseUrl}/sandbox/followupboss${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`crm-sandbox ${method} ${path} answered ${response.status}: ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/**
 * A lead's record in Follow Up Boss: the events whose description ends with its marker (their writes and
 * activities), on their person (the id its delivery event names).
 */
async function recordsIn(client: CrmSandboxClient, tenant: string): Promise<CrmLeadRecord[]> {
  const people = (await followupbossAdmin(client, 'GET', `/accounts/${tenant}/people`)) as SandboxPerson[];
  const byLead = new Map<string, CrmLeadRecord>();
  for (const person of people) {
    for (const { description = '' } of person.events) {
      const key = MARKER.exec(description.split('\n').at(-1) ?? '')?.[1];
      if (key === undefined) continue;
      const record = byLead.get(key) ?? { id: String(person.id), key, writes: 0, activities: [] };
      record.writes += 1;
      record.activities.push(description);
      byLead.set(key, record);
    }
  }
  return [...byLead.values()];
}

export const FOLLOWUPBOSS_RECORDS: CrmReader = {
  recordsIn,
  recordOf: async (client, lead, tenant) =>
    (await recordsIn(client, tenant)).find((record) => record.key === lead.lead.lead_id),
  keyOf: (lead) => lead.lead.lead_id,
};
