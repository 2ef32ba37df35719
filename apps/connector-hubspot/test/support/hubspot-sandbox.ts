import { createConnectorApp, createConnectorLogger } from '@lead-delivery/connector-kit';
import { CONSUMER_GROUPS } from '@lead-delivery/contracts';
import type { ConnectorUnderTest, SandboxedConnectorSetup } from '@lead-delivery/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHubspotConfig } from '../../src/app.config';
import { createHubspotConnector } from '../../src/create-connector';

/** Sandbox portals and their private-app tokens. */
export const PORTALS = {
  a: { id: '2000001', token: 'pat-na1-00000000-0000-4000-8000-00000000000a' },
  b: { id: '2000002', token: 'pat-na1-00000000-0000-4000-8000-00000000000b' },
};

/** Environment of a sandbox with those portals (batch results come back shuffled, as HubSpot may send them). */
export const SANDBOX_ENV = {
  HUBSPOT_PORTALS: Object.values(PORTALS)
    .map((portal) => `${portal.id}:${portal.token}`)
    .join(','),
};

/**
 * The accounts file of the tests: `acct-a` and `acct-b` in their own portals, `acct-mapped` with mapping
 * overrides; every other account uses the default portal (portal a, from env).
 */
export function writeAccountsFile(url: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hs-int-')), 'accounts.json');
  const accounts = {
    accounts: {
      'acct-a': { credentials: { accessToken: PORTALS.a.token, baseUrl: url } },
      'acct-b': { credentials: { accessToken: PORTALS.b.token, baseUrl: url } },
      'acct-mapped': {
        credentials: { accessToken: PORTALS.b.token, baseUrl: url },
        mapping: {
          fields: { company: { template: '{routing.account_id} buyer' }, rdc_listing_url: null },
          leadStatus: { hot: 'OPEN' },
          lifecycleStage: { hot: 'opportunity' },
        },
      },
    },
  };
  writeFileSync(file, JSON.stringify(accounts));
  return file;
}

/** The connector's environment against the sandbox at `url`. */
export function connectorEnv(url: string, accountsFile: string, extra: Record<string, string> = {}) {
  return {
    HUBSPOT_BASE_URL: url,
    HUBSPOT_ACCESS_TOKEN: PORTALS.a.token,
    CONNECTOR_ACCOUNTS_FILE: accountsFile,
    CONNECTOR_BACKOFF_INITIAL_MS: '50',
    CONNECTOR_BACKOFF_MAX_MS: '500',
    CONNECTOR_PARK_DELAY_INITIAL_MS: '500',
    CONNECTOR_PARK_DELAY_MAX_MS: '1000',
    CONNECTOR_BREAKER_HALF_OPEN_MS: '1000',
    ...extra,
  };
}

/** The HubSpot connector app as deployed (its main.ts), in its own consumer group. */
export const HUBSPOT_CONNECTOR: ConnectorUnderTest = {
  destination: 'hubspot',
  group: CONSUMER_GROUPS.connectorHubspot,
  createApp: async (env) => {
    const config = loadHubspotConfig(env);
    const logger = createConnectorLogger(CONSUMER_GROUPS.connectorHubspot, config.logging);
    return createConnectorApp({ connector: createHubspotConnector(config, logger), config, logger });
  },
};

/** The connector against a sandbox with the test portals, configured by the tests' accounts file. */
export const HUBSPOT_SANDBOXED: SandboxedConnectorSetup = {
  connector: HUBSPOT_CONNECTOR,
  sandboxEnv: SANDBOX_ENV,
  connectorEnv: (url) => connectorEnv(url, writeAccountsFile(url)),
};
