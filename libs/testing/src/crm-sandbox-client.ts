import type { ConnectorId } from '@lead-delivery/contracts';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * The fake CRMs of apps/crm-sandbox: one per connector of the registry (CONNECTORS of libs/contracts).
 * A tenant is a Salesforce org id, a HubSpot portal id or a Follow Up Boss account id.
 */
export type SandboxCrm = ConnectorId;
export type SandboxFaultStatus = 401 | 403 | 429 | 500 | 502 | 503 | 504;
export type HubspotRatePolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY';

interface FaultResponse {
  retryAfterSeconds?: number;
  /** HubSpot 429s only. */
  policyName?: HubspotRatePolicy;
  /** Answer with an HTML page instead of the CRM's JSON error. */
  html?: boolean;
}

export interface SandboxErrorRate extends FaultResponse {
  status: SandboxFaultStatus;
  /** Share of calls, 0–1; the rates of one CRM add up to at most 1. */
  rate: number;
}

export interface SandboxFaultSettings {
  errors?: SandboxErrorRate[];
  latency?: { fixedMs: number; jitterMs?: number };
  /** Requests per rolling window; `null` turns the CRM's default limit (HubSpot: 190 per 10 s) off. */
  rateLimit?: { max: number; windowMs: number; retryAfter?: boolean } | null;
  /**
   * Replaces the CRM's daily allocation (HubSpot: calls per portal per UTC day, default 1,000,000;
   * Salesforce: API requests per org per rolling 24 h, default 100,000).
   */
  dailyLimit?: number;
  /** Records whose `field` matches `pattern` are rejected with `message` (a Salesforce validation rule). */
  validationRules?: { field: string; pattern: string; message: string }[];
  seed?: number;
}

export interface SandboxBurst extends FaultResponse {
  count: number;
  status?: SandboxFaultStatus;
}

export interface SandboxOutage extends Omit<FaultResponse, 'policyName'> {
  /** Unset: until `endOutage`. */
  durationMs?: number;
}

export interface SandboxLostAnswers {
  count: number;
  /** Only calls of this endpoint, e.g. `hubspot.notes.batch-create`; unset: any API call of the CRM. */
  endpoint?: string;
  /** How long the connection stays open, without an answer, before the sandbox closes it (default 0). */
  afterMs?: number;
}

export interface SandboxRequestLogEntry {
  seq: number;
  at: string;
  crm: SandboxCrm;
  tenant?: string;
  method: string;
  path: string;
  /** e.g. `salesforce.collections.upsert`, `hubspot.contacts.batch-upsert`, `salesforce.oauth.token`. */
  endpoint: string;
  status: number;
  durationMs: number;
  latencyMs?: number;
  fault?: 'outage' | 'burst' | 'error-rate' | 'rate-limit' | 'daily-limit' | 'token-expired' | 'lost-answer';
  /** Records in the call, when the CRM processed it. */
  records?: number;
}

export interface SandboxRequestFilter {
  crm?: SandboxCrm;
  tenant?: string;
  endpoint?: string;
  status?: number;
  /** Only calls after this sequence number (`last` of an earlier listing). */
  since?: number;
}

export interface SandboxCounts {
  total: number;
  records: number;
  byStatus: Record<string, number>;
  byFault: Record<string, number>;
}

export interface SandboxRequestCounts extends SandboxCounts {
  byEndpoint: Record<string, SandboxCounts>;
  dropped: number;
}

/** A Salesforce record: its fields by API name, plus how often it was written; Leads carry their Tasks and Notes. */
export interface SandboxSalesforceRecord {
  Id: string;
  CreatedDate: string;
  LastModifiedDate: string;
  writes: number;
  tasks?: SandboxSalesforceRecord[];
  notes?: SandboxSalesforceRecord[];
  [field: string]: unknown;
}

export interface SandboxHubspotNote {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  contactIds?: string[];
}

export interface SandboxHubspotContact {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  writes: number;
  notes: SandboxHubspotNote[];
}

export interface SandboxListing<T> {
  count: number;
  records: T[];
}

export interface SandboxSummary {
  salesforce: {
    orgs: {
      orgId: string;
      leads: number;
      tasks: number;
      notes: number;
      apiUsage: number;
      activeSessions: number;
    }[];
  };
  hubspot: { portals: { portalId: string; contacts: number; notes: number; dailyUsage: number }[] };
  followupboss: {
    accounts: { accountId: string; people: number; events: number; archivedSources: string[] }[];
  };
  faults: Record<string, unknown>;
  requests: number;
}

/** Calls a limit counted (served), by endpoint, and calls a limit turned away, by why. */
export interface SandboxCallCounts {
  total: number;
  byEndpoint: Record<string, number>;
  rejected: Partial<Record<'TEN_SECONDLY_ROLLING' | 'DAILY' | 'REQUEST_LIMIT_EXCEEDED', number>>;
}

export interface SandboxHubspotUsage {
  portalId: string;
  /** Per portal, per UTC day. */
  daily: { limit: number; used: number; remaining: number; resetsAt: string };
  /** Per private app (token); null when the ten-secondly limit is off. */
  tenSecondly: { max: number; windowMs: number } | null;
  calls: SandboxCallCounts;
  /** One per private-app token of the portal, named by the masked token. */
  apps: { token: string; tenSecondlyUsed: number; calls: SandboxCallCounts }[];
}

export interface SandboxSalesforceUsage {
  orgId: string;
  daily: { limit: number; used: number; remaining: number; window: 'rolling-24h' };
  calls: SandboxCallCounts;
}

/** Follow Up Boss counts calls per account in one sliding 10 s window per context (no daily limit). */
export interface SandboxFollowupbossUsage {
  accountId: string;
  tenSecondly: { windowMs: number; used: Record<'POST.events' | 'events' | 'global', number> };
}

export interface SandboxUsage {
  hubspot: SandboxHubspotUsage[];
  salesforce: SandboxSalesforceUsage[];
  followupboss: SandboxFollowupbossUsage[];
}

/** A copy of an account's lead in a CRM: a Salesforce Lead or Task, a HubSpot note, a Follow Up Boss event, ... */
export interface SandboxLeadCopy {
  accountId: string;
  leadId: string;
}

/** A person who already has a history: one activity per earlier lead id, oldest first. */
export interface SandboxSeedPerson {
  email: string;
  /** Salesforce (required there): the value of `keyField` on the person's Lead, e.g. `acct-a:person-1`. */
  key?: string;
  firstName?: string;
  lastName?: string;
  leadIds: string[];
}

export interface SandboxHistory {
  /** Named in every activity's marker line, as the connectors write it. */
  accountId: string;
  /** Salesforce: the Lead External ID field of `key` (default `Realtor_Person_Key__c`). */
  keyField?: string;
  people: SandboxSeedPerson[];
}

const query = (params: Record<string, string | number | undefined>) => {
  const entries = Object.entries(params).flatMap(([name, value]): [string, string][] =>
    value === undefined ? [] : [[name, String(value)]],
  );
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries)}`;
};

/** Typed client of the sandbox's admin (`/sandbox/faults`) and inspection (`/sandbox/…`) endpoints. */
export class CrmSandboxClient {
  constructor(readonly baseUrl: string) {}

  summary(): Promise<SandboxSummary> {
    return this.send('GET', '/sandbox');
  }

  /** Empties records, API usage, faults and the request log; tokens already issued stay valid. */
  async reset(): Promise<void> {
    await this.send('POST', '/sandbox/reset');
  }

  faults(): Promise<Record<string, unknown>> {
    return this.send('GET', '/sandbox/faults');
  }

  /** Replaces the fault settings of a CRM, or of one tenant (whose settings then win over the CRM's). */
  async setFaults(crm: SandboxCrm, settings: SandboxFaultSettings, tenant?: string): Promise<void> {
    await this.send('PUT', `/sandbox/faults/${crm}${query({ tenant })}`, settings);
  }

  async clearFaults(crm: SandboxCrm, tenant?: string): Promise<void> {
    await this.send('DELETE', `/sandbox/faults/${crm}${query({ tenant })}`);
  }

  /** The next `count` API calls fail (default 429). */
  async burst(crm: SandboxCrm, burst: SandboxBurst, tenant?: string): Promise<void> {
    await this.send('POST', `/sandbox/faults/${crm}/burst${query({ tenant })}`, burst);
  }

  /** Every call, the Salesforce token endpoint included, answers 503 until `endOutage` or `durationMs`. */
  async startOutage(crm: SandboxCrm, outage: SandboxOutage = {}, tenant?: string): Promise<void> {
    await this.send('POST', `/sandbox/faults/${crm}/outage${query({ tenant })}`, outage);
  }

  async endOutage(crm: SandboxCrm, tenant?: string): Promise<void> {
    await this.send('DELETE', `/sandbox/faults/${crm}/outage${query({ tenant })}`);
  }

  /**
   * The next `count` API calls are carried out (records saved) but never answered: the sandbox closes the
   * connection after `afterMs`, as when a proxy times out after the CRM committed.
   */
  async loseAnswers(crm: SandboxCrm, lost: SandboxLostAnswers, tenant?: string): Promise<void> {
    await this.send('POST', `/sandbox/faults/${crm}/lost-answers${query({ tenant })}`, lost);
  }

  /**
   * Tokens issued so far expire after `afterCalls` more calls (0: now). Salesforce: new tokens work.
   * HubSpot (static private-app tokens): calls answer EXPIRED_AUTHENTICATION until the faults are cleared.
   */
  async expireTokens(crm: SandboxCrm, afterCalls = 0, tenant?: string): Promise<void> {
    await this.send('POST', `/sandbox/faults/${crm}/expire-tokens${query({ tenant })}`, { afterCalls });
  }

  /** Per tenant: what its calls used of the CRM's limits, and its calls by endpoint (for calls per lead). */
  usage(): Promise<SandboxUsage> {
    return this.send('GET', '/sandbox/usage');
  }

  hubspotUsage(portal?: string): Promise<SandboxHubspotUsage[]> {
    return this.send('GET', `/sandbox/usage/hubspot${query({ tenant: portal })}`);
  }

  salesforceUsage(org?: string): Promise<SandboxSalesforceUsage[]> {
    return this.send('GET', `/sandbox/usage/salesforce${query({ tenant: org })}`);
  }

  /** Counts and limit windows start over (all, one CRM, or one tenant of it). */
  async resetUsage(crm?: SandboxCrm, tenant?: string): Promise<void> {
    await this.send('DELETE', crm ? `/sandbox/usage/${crm}${query({ tenant })}` : '/sandbox/usage');
  }

  /**
   * Writes people who already have a history straight into a tenant (default: the first), without counting
   * toward its limits: HubSpot contacts with one note per lead id, or Salesforce Leads with one Task each.
   */
  seedHistory(
    crm: SandboxCrm,
    history: SandboxHistory,
    tenant?: string,
  ): Promise<{ people: number; activities: number }> {
    return this.send('POST', `/sandbox/seed/${crm}${query({ tenant })}`, history);
  }

  /** Leads whose fields equal the given values (case-insensitive), e.g. `{ Realtor_Lead_Id__c: id }`. */
  salesforceLeads(
    fields: Record<string, string> = {},
    { org, limit }: { org?: string; limit?: number } = {},
  ): Promise<SandboxListing<SandboxSalesforceRecord>> {
    return this.send('GET', `/sandbox/salesforce/leads${query({ ...fields, org, limit })}`);
  }

  async salesforceLead(
    externalId: string,
    { field = 'Realtor_Lead_Id__c', org }: { field?: string; org?: string } = {},
  ): Promise<SandboxSalesforceRecord | undefined> {
    return (await this.salesforceLeads({ [field]: externalId }, { org })).records[0];
  }

  salesforceTasks(
    fields: Record<string, string> = {},
    { org, limit }: { org?: string; limit?: number } = {},
  ): Promise<SandboxListing<SandboxSalesforceRecord>> {
    return this.send('GET', `/sandbox/salesforce/tasks${query({ ...fields, org, limit })}`);
  }

  /** Contacts whose properties equal the given values (case-insensitive), e.g. `{ email }`. */
  hubspotContacts(
    properties: Record<string, string> = {},
    { portal, limit }: { portal?: string; limit?: number } = {},
  ): Promise<SandboxListing<SandboxHubspotContact>> {
    return this.send('GET', `/sandbox/hubspot/contacts${query({ ...properties, portal, limit })}`);
  }

  async hubspotContact(
    email: string,
    { portal }: { portal?: string } = {},
  ): Promise<SandboxHubspotContact | undefined> {
    return (await this.hubspotContacts({ email }, { portal })).records[0];
  }

  hubspotNotes({
    contactId,
    portal,
    limit,
  }: { contactId?: string; portal?: string; limit?: number } = {}): Promise<
    SandboxListing<SandboxHubspotNote>
  > {
    return this.send('GET', `/sandbox/hubspot/notes${query({ contactId, portal, limit })}`);
  }

  /**
   * One entry per copy of an account's lead the CRM holds, across all its tenants (orgs, portals,
   * accounts): the account and lead its marker line or per-lead key names. Every CRM module answers it.
   */
  leadCopies(crm: SandboxCrm): Promise<SandboxLeadCopy[]> {
    return this.send('GET', `/sandbox/${crm}/lead-copies`);
  }

  requests(
    filter: SandboxRequestFilter & { limit?: number } = {},
  ): Promise<{ entries: SandboxRequestLogEntry[]; last: number; dropped: number }> {
    return this.send('GET', `/sandbox/requests${query({ ...filter })}`);
  }

  requestCounts(filter: SandboxRequestFilter = {}): Promise<SandboxRequestCounts> {
    return this.send('GET', `/sandbox/requests/counts${query({ ...filter })}`);
  }

  async clearRequests(): Promise<void> {
    await this.send('DELETE', '/sandbox/requests');
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`crm-sandbox ${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export interface RunningCrmSandbox {
  url: string;
  client: CrmSandboxClient;
  stop(): Promise<void>;
}

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/**
 * Starts apps/crm-sandbox from source in a child process on a free port (its env: the sandbox's variables,
 * e.g. `SANDBOX_LATENCY_MS`, `SALESFORCE_ORGS`) and waits until it is ready.
 */
export async function startCrmSandbox(
  env: Record<string, string> = {},
  { timeoutMs = 60_000 }: { timeoutMs?: number } = {},
): Promise<RunningCrmSandbox> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register',
      '-r',
      'tsconfig-paths/register',
      join('apps', 'crm-sandbox', 'src', 'main.ts'),
    ],
    {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: 'tsconfig.base.json',
        TS_NODE_TRANSPILE_ONLY: 'true',
        LOG_LEVEL: 'warn',
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`crm-sandbox exited with ${child.exitCode}:\n${stderr}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, client: new CrmSandboxClient(url), stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`crm-sandbox not ready at ${url} within ${timeoutMs} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
