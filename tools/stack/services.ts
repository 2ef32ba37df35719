// The services of the local stack: what runs, on which port, with which environment.
import { CONNECTORS, connectorAppOf, type ConnectorId } from '@lead-delivery/contracts';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The local stack's operator token (every scope); persistence refuses it in production. */
export const LOCAL_OPERATOR_TOKEN = 'local-operator-token-change-me';
/** Persistence records erased identities under it, connectors recognise suppressed leads with it. */
const LOCAL_ERASURE_HASH_KEY = 'local-erasure-hash-key-change-me-0000';
const LOCAL_OPERATOR_TOKENS = JSON.stringify([
  {
    name: 'local-operator',
    sha256: createHash('sha256').update(LOCAL_OPERATOR_TOKEN).digest('hex'),
    scopes: ['read', 'erase', 'replay', 'pii'],
  },
]);
/** Each local account's own tenant in the CRMs, as their web apps address it. */
interface LocalCrmTenant {
  /** Its Salesforce My Domain and Follow Up Boss subdomain. */
  subdomain: string;
  hubspotPortalId: string;
}

const LOCAL_CRM_TENANTS: Record<string, LocalCrmTenant> = {
  'acct-austin-brokerage': { subdomain: 'austin-brokerage', hubspotPortalId: '20000001' },
  'acct-solo-agent': { subdomain: 'solo-agent', hubspotPortalId: '20000002' },
};

/**
 * Where each registry CRM's web app shows a record (`{id}`: the record id the connector reported) of a
 * tenant. A CRM without one (a generated connector's, until it adds its own) gets no links: the console
 * shows the bare record id.
 */
const RECORD_LINK_TEMPLATES: { [Id in ConnectorId]?: (tenant: LocalCrmTenant) => string } = {
  salesforce: ({ subdomain }) => `https://${subdomain}.lightning.force.com/lightning/r/{id}/view`,
  hubspot: ({ hubspotPortalId }) => `https://app.hubspot.com/contacts/${hubspotPortalId}/record/0-1/{id}`,
  followupboss: ({ subdomain }) => `https://${subdomain}.followupboss.com/2/people/view/{id}`,
};

/** CRM_RECORD_LINKS of the local stack: per registry CRM with a template, each local account's own link. */
export function localCrmRecordLinks(): Record<string, { accounts: Record<string, string> }> {
  return Object.fromEntries(
    CONNECTORS.flatMap(({ id }) => {
      const template = RECORD_LINK_TEMPLATES[id];
      if (!template) return [];
      const accounts = Object.entries(LOCAL_CRM_TENANTS).map(([account, tenant]) => [
        account,
        template(tenant),
      ]);
      return [[id, { accounts: Object.fromEntries(accounts) }]];
    }),
  );
}

export interface StackService {
  name: string;
  script: string;
  env: Record<string, string>;
  ready: string;
  url?: string;
}

/** `offset` shifts every port, so a second stack (the stack test, the e2e suites) can run beside the first. */
export function stackServices({
  root,
  offset = 0,
  kafkaBrokers,
  databaseUrl,
}: {
  root: string;
  offset?: number;
  kafkaBrokers: string;
  databaseUrl: string;
}): StackService[] {
  const port = (base: number) => String(base + offset);
  const local = (path: number) => `http://127.0.0.1:${port(path)}`;
  const sandboxUrl = local(4010);
  const common = {
    KAFKA_BROKERS: kafkaBrokers,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    // Not `production`: persistence refuses the published local operator token there, as it should.
    NODE_ENV: 'development',
  };
  const config = (file: string) => join(root, 'config', 'local', file);
  const app = (name: string) => join(root, 'dist', 'apps', name, 'main.js');
  return [
    {
      name: 'crm-sandbox',
      script: app('crm-sandbox'),
      env: { PORT: port(4010), SANDBOX_PUBLIC_URL: sandboxUrl, SANDBOX_LATENCY_MS: '20', LOG_LEVEL: 'warn' },
      ready: `${sandboxUrl}/health/ready`,
      url: sandboxUrl,
    },
    {
      name: 'gateway',
      script: app('gateway'),
      env: { ...common, PORT: port(3000), ACCOUNTS_FILE: config('accounts.json'), DATABASE_URL: databaseUrl },
      ready: `${local(3000)}/health/ready`,
      url: local(3000),
    },
    {
      name: 'persistence',
      script: app('persistence'),
      env: {
        ...common,
        PORT: port(3001),
        READ_API_PORT: port(3101),
        DATABASE_URL: databaseUrl,
        OPERATOR_TOKENS: LOCAL_OPERATOR_TOKENS,
        CONSOLE_DIR: join(root, 'dist', 'apps', 'console'),
        CRM_RECORD_LINKS: JSON.stringify(localCrmRecordLinks()),
        ERASURE_HASH_KEY: LOCAL_ERASURE_HASH_KEY,
      },
      ready: `${local(3001)}/health/ready`,
      url: local(3101),
    },
    {
      name: 'enrichment',
      script: app('enrichment'),
      env: { ...common, PORT: port(3002), ROUTING_RULES_FILE: config('routing.json') },
      ready: `${local(3002)}/health/ready`,
    },
    ...CONNECTORS.map(({ id, localPort, crmUrlEnv }) => ({
      name: connectorAppOf(id),
      script: app(connectorAppOf(id)),
      env: {
        ...common,
        PORT: port(localPort),
        [crmUrlEnv]: sandboxUrl,
        CONNECTOR_DATABASE_URL: databaseUrl,
        // A fresh local database: no version without the delivery ledger ever wrote to this sandbox.
        CONNECTOR_LEDGER_ROLLOUT_MARGIN_MS: '0',
        CONNECTOR_ACCOUNTS_FILE: config(`connectors/${id}.json`),
        ERASURE_HASH_KEY: LOCAL_ERASURE_HASH_KEY,
      },
      ready: `${local(localPort)}/health/ready`,
    })),
  ];
}
