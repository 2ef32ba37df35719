import type { SandboxRequestLogEntry } from '@lead-delivery/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** When a logged call started (the log records when its answer was sent). */
export const startOf = (entry: SandboxRequestLogEntry) => Date.parse(entry.at) - entry.durationMs;
