import { signLead, topicCatalogue, type EnhancedLead } from '@lead-delivery/contracts';
import { provisionTopics } from '@lead-delivery/messaging';
import {
  CrmSandboxClient,
  DedicatedBroker,
  createTestDatabase,
  type TestDatabase,
} from '@lead-delivery/testing';
import { Kafka, logLevel } from 'kafkajs';
import { join } from 'node:path';
import { Client } from 'pg';
import { LOCAL_OPERATOR_TOKEN, stackServices } from '../stack/services';
import { buildServices, startServices, type RunningStack } from '../stack/stack';

// The whole platform as separate processes on a broker and a database of its own, for the end-to-end,
// reliability and load suites: they may kill -9 the broker or any service and start it again.

export const ROOT = join(__dirname, '..', '..');

export interface LeadDetails {
  lead: {
    lead_id: string;
    account_id: string;
    tier: string | null;
    score: number | null;
    destinations: string[] | null;
    kind: string;
  };
  timeline: Array<{ type: string; destination: string | null }>;
  deliveries: Array<{
    destination: string;
    status: string;
    crm_record_id: string | null;
    speed_to_lead_ms: number | null;
    attempts: number;
  }>;
}

export interface Pipeline {
  broker: DedicatedBroker;
  database: TestDatabase;
  stack: RunningStack;
  sandbox: CrmSandboxClient;
  /** Services that exited without being stopped or killed by the suite, as `name (signal or exit code)`. */
  crashes: string[];
  gatewayUrl: string;
  readApiUrl: string;
  /** Posts as DEFAULT_ACCOUNT unless another account's API key is given. */
  post(lead: object, options?: { apiKey?: string; hmacSecret?: string }): Promise<Response>;
  /** The read API's view of one account's lead. */
  details(accountId: string, leadId: string): Promise<LeadDetails | undefined>;
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** The local stack's account (config/local/accounts.json) that posts when no other API key is given. */
export const DEFAULT_ACCOUNT = { id: 'acct-austin-brokerage', apiKey: 'local-austin-key' };

/** Builds the apps once per process (Nx caches the build across runs). */
let built = false;
export function buildPipeline(): void {
  if (built) return;
  buildServices(ROOT, stackServices({ root: ROOT, kafkaBrokers: 'unused', databaseUrl: 'unused' }));
  built = true;
}

export async function startPipeline(
  name: string,
  offset: number,
  overrides: Record<string, Record<string, string>> = {},
  { asPods = false }: { asPods?: boolean } = {},
): Promise<Pipeline> {
  buildPipeline();
  const broker = await DedicatedBroker.create(`e2e-${name}`);
  const admin = new Kafka({ clientId: 'e2e', brokers: [broker.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await provisionTopics(admin, topicCatalogue());
  await admin.disconnect();
  const database = await createTestDatabase(`e2e_${name.replace(/\W/g, '_')}`);
  const crashes: string[] = [];
  const stack = startServices({
    root: ROOT,
    offset,
    kafkaBrokers: broker.brokers,
    databaseUrl: database.url,
    logDir: join(ROOT, '.cache', 'e2e', name),
    overrides,
    asPods,
    onUnexpectedExit: (service, code, signal) =>
      crashes.push(`${service.name} (${signal ?? `exit code ${code}`})`),
  });
  await stack.waitAllReady().catch(async (error: unknown) => {
    // Nothing of a stack that did not come up may outlive the suite (its broker is a JVM of its own).
    await stack.stopAll();
    await broker.stop();
    await database.drop();
    throw error;
  });
  const gatewayUrl = stack.url('gateway') as string;
  const readApiUrl = stack.url('persistence') as string;

  return {
    broker,
    database,
    stack,
    sandbox: new CrmSandboxClient(stack.url('crm-sandbox') as string),
    crashes,
    gatewayUrl,
    readApiUrl,
    post: (lead, { apiKey = DEFAULT_ACCOUNT.apiKey, hmacSecret } = {}) => {
      const body = hmacSecret
        ? { ...lead, digital_signature: signLead(lead as Record<string, unknown>, 'hmac-sha256', hmacSecret) }
        : lead;
      return fetch(`${gatewayUrl}/lead-delivery`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify(body),
      });
    },
    details: async (accountId, leadId) => {
      const path = `/accounts/${encodeURIComponent(accountId)}/leads/${encodeURIComponent(leadId)}`;
      const response = await fetch(`${readApiUrl}${path}`, {
        headers: { authorization: `Bearer ${LOCAL_OPERATOR_TOKEN}` },
      });
      return response.ok ? ((await response.json()) as LeadDetails) : undefined;
    },
    query: async (sql, params = []) => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      await stack.stopAll();
      await broker.stop();
      await database.drop();
    },
  };
}

/** A lead whose timestamp is now, so speed-to-lead measures the pipeline. */
export function freshLead<T extends EnhancedLead>(lead: T): T {
  return { ...lead, timestamp: new Date().toISOString() };
}
