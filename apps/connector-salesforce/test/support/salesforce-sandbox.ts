import { createConnectorApp, createConnectorLogger } from '@lead-delivery/connector-kit';
import { CONSUMER_GROUPS } from '@lead-delivery/contracts';
import type { ConnectorUnderTest, SandboxedConnectorSetup } from '@lead-delivery/testing';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSalesforceConfig } from '../../src/app.config';
import { createSalesforceConnector } from '../../src/create-connector';

/** Sandbox orgs (18-character ids) and the client-credentials apps of each. */
export const ORGS = {
  a: { id: '00D5e000000SbXAEA0', clientId: 'client-a', clientSecret: 'secret-a-0123456789' },
  b: { id: '00D5e000000SbXBEA0', clientId: 'client-b', clientSecret: 'secret-b-0123456789' },
  jwt: { id: '00D5e000000SbXCEA0', clientId: 'client-jwt', clientSecret: 'unused-by-jwt-0123' },
};

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Environment of a sandbox with those orgs, verifying JWT assertions against our key. */
export const SANDBOX_ENV = {
  SALESFORCE_ORGS: Object.values(ORGS)
    .map((org) => `${org.id}:${org.clientId}:${org.clientSecret}`)
    .join(','),
  SALESFORCE_JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};

const credentials = (url: string, org: { clientId: string; clientSecret: string }) => ({
  loginUrl: url,
  clientId: org.clientId,
  clientSecret: org.clientSecret,
});

/** A Lead's upsert key as the connector writes it: the account, then the lead id (or the person key). */
export const externalId = (accountId: string, value: string) => `${accountId}:${value}`;

/**
 * The accounts file of the tests: `acct-a` and `acct-b` in their own orgs, `acct-person` and
 * `acct-person-brokerage` per person in org b, `acct-jwt` through the JWT bearer flow; every other
 * account uses the default org (org a, from env).
 */
export function writeAccountsFile(url: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sf-int-')), 'accounts.json');
  const accounts = {
    accounts: {
      'acct-a': { credentials: credentials(url, ORGS.a) },
      'acct-b': { credentials: credentials(url, ORGS.b) },
      'acct-person': { credentials: credentials(url, ORGS.b), recordMode: 'per-person' },
      'acct-person-brokerage': { credentials: credentials(url, ORGS.b), recordMode: 'per-person' },
      'acct-jwt': {
        credentials: {
          flow: 'jwt_bearer',
          loginUrl: url,
          clientId: ORGS.jwt.clientId,
          username: 'integration@jwt.example',
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          audience: url,
        },
      },
    },
  };
  writeFileSync(file, JSON.stringify(accounts));
  return file;
}

/** The connector's environment against the sandbox at `url`. */
function connectorEnv(url: string, accountsFile: string) {
  return {
    SALESFORCE_LOGIN_URL: url,
    SALESFORCE_CLIENT_ID: ORGS.a.clientId,
    SALESFORCE_CLIENT_SECRET: ORGS.a.clientSecret,
    CONNECTOR_ACCOUNTS_FILE: accountsFile,
    CONNECTOR_BACKOFF_INITIAL_MS: '50',
    CONNECTOR_BACKOFF_MAX_MS: '500',
    CONNECTOR_PARK_DELAY_INITIAL_MS: '500',
    CONNECTOR_PARK_DELAY_MAX_MS: '1000',
    CONNECTOR_BREAKER_HALF_OPEN_MS: '1000',
  };
}

/** The Salesforce connector app as deployed (its main.ts), in its own consumer group. */
export const SALESFORCE_CONNECTOR: ConnectorUnderTest = {
  destination: 'salesforce',
  group: CONSUMER_GROUPS.connectorSalesforce,
  createApp: async (env) => {
    const config = loadSalesforceConfig(env);
    const logger = createConnectorLogger(CONSUMER_GROUPS.connectorSalesforce, config.logging);
    return createConnectorApp({ connector: createSalesforceConnector(config, logger), config, logger });
  },
};

/** The connector against a sandbox with the test orgs, configured by the tests' accounts file. */
export const SALESFORCE_SANDBOXED: SandboxedConnectorSetup = {
  connector: SALESFORCE_CONNECTOR,
  sandboxEnv: SANDBOX_ENV,
  connectorEnv: (url) => connectorEnv(url, writeAccountsFile(url)),
};
