import { ConfigError } from '@lead-delivery/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubspotCredentialOf } from './accounts/hubspot-accounts';
import { loadHubspotConfig } from './app.config';

const BASE_ENV = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  CONNECTOR_DATABASE_URL: 'postgres://connector:secret@127.0.0.1:5432/lead_delivery',
};
const TOKEN = 'pat-na1-default-token-value';

function accountsFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hs-accounts-')), 'accounts.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadHubspotConfig({ ...BASE_ENV, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadHubspotConfig', () => {
  it('uses the HUBSPOT_ACCESS_TOKEN portal for every account when there is no accounts file', () => {
    const { accounts, hubspot } = loadHubspotConfig({ ...BASE_ENV, HUBSPOT_ACCESS_TOKEN: TOKEN });
    expect(hubspot.HUBSPOT_BASE_URL).toBe('https://api.hubapi.com');
    expect(accounts.of('anyone')).toEqual({
      id: 'anyone',
      erasure: 'gdpr-delete',
      credentials: { accessToken: TOKEN, baseUrl: 'https://api.hubapi.com' },
      sharedPortal: true,
      fields: {},
      leadStatus: { hot: 'NEW', warm: 'NEW', cold: 'NEW' },
      lifecycleStage: { hot: 'salesqualifiedlead', warm: 'marketingqualifiedlead', cold: 'lead' },
    });
  });

  it('gives each account of the file its own portal and mapping, over the file default', () => {
    const file = accountsFile({
      default: {
        mapping: { fields: { company: { const: 'Realtor.com' } }, lifecycleStage: { cold: 'subscriber' } },
      },
      accounts: {
        'acct-own': {
          credentials: { accessToken: 'pat-own', baseUrl: 'http://127.0.0.1:4010/' },
          recordMode: 'per-person',
          mapping: { fields: { rdc_mls_id: null }, leadStatus: { hot: 'OPEN' } },
        },
      },
    });
    const { accounts } = loadHubspotConfig({
      ...BASE_ENV,
      HUBSPOT_ACCESS_TOKEN: TOKEN,
      CONNECTOR_ACCOUNTS_FILE: file,
    });
    expect(accounts.of('acct-own')).toMatchObject({
      credentials: { accessToken: 'pat-own', baseUrl: 'http://127.0.0.1:4010' },
      sharedPortal: false,
      fields: { company: { const: 'Realtor.com' }, rdc_mls_id: null },
      leadStatus: { hot: 'OPEN', warm: 'NEW' },
      lifecycleStage: { cold: 'subscriber', hot: 'salesqualifiedlead' },
    });
    expect(accounts.of('other')).toMatchObject({ sharedPortal: true, credentials: { accessToken: TOKEN } });
  });

  it('refuses to start without any token', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^HubSpot credentials: none configured/)]);
  });

  it('reports every problem of the accounts file, per-lead records included, never a token', () => {
    const file = accountsFile({
      accounts: {
        one: {
          credentials: { accessToken: 'pat-secret-token', baseUrl: 'ftp://x' },
          recordMode: 'per-lead',
          mapping: {
            fields: { email: { const: 'x@y.z' }, 'Bad-Name': { const: 1 }, notes: { from: 'secret' } },
          },
        },
      },
    });
    const problems = problemsOf({ CONNECTOR_ACCOUNTS_FILE: file, HUBSPOT_BASE_URL: 'not a url' });
    expect(problems).toEqual([expect.stringMatching(/^HUBSPOT_BASE_URL: /)]);
    const fileProblems = problemsOf({ CONNECTOR_ACCOUNTS_FILE: file }).map((problem) =>
      problem.replace(`CONNECTOR_ACCOUNTS_FILE (${file}): `, ''),
    );
    expect(fileProblems).toEqual([
      'accounts.one.recordMode: must be per-person: HubSpot keeps one contact per email address, so a second lead of a person cannot have a contact of its own',
      'accounts.one.mapping.fields.email: is the upsert key, which the connector sets',
      'accounts.one.mapping.fields.notes: "secret" is not a path into the enriched event (it starts with lead, enrichment, routing, kind)',
      'accounts.one.mapping.fields.Bad-Name: is not a property internal name',
      'accounts.one.credentials.baseUrl: must be an http(s) URL',
    ]);
    expect(fileProblems.join('\n')).not.toContain('pat-secret-token');
  });

  it("gives each portal's accounts one credential (a hash, never the token) with the portal's call limits", () => {
    const limits = { callsPerWindow: 150, windowMs: 10_000, dailyLimit: 300_000 };
    const file = accountsFile({
      default: { limits: { callsPerWindow: 100 } },
      accounts: {
        own: { credentials: { accessToken: 'pat-own-portal-token' }, limits },
        onDefault: { mapping: { leadStatus: { hot: 'OPEN' } } },
      },
    });
    const { accounts } = loadHubspotConfig({
      ...BASE_ENV,
      HUBSPOT_ACCESS_TOKEN: TOKEN,
      CONNECTOR_ACCOUNTS_FILE: file,
    });
    const [own, onDefault, anyone] = ['own', 'onDefault', 'anyone'].map((id) =>
      hubspotCredentialOf(accounts.of(id)),
    );
    expect(own).toEqual({ key: expect.stringMatching(/^[0-9a-f]{16}$/), limits });
    expect(onDefault).toEqual({ key: anyone?.key, limits: { callsPerWindow: 100 } });
    expect(own?.key).not.toBe(anyone?.key);
    expect(JSON.stringify([own, anyone])).not.toContain('pat-');

    const bad = accountsFile({
      accounts: {
        shared: { limits: { callsPerWindow: 1 } },
        odd: { credentials: { accessToken: 't' }, limits: { perHour: 5 } },
      },
    });
    expect(
      problemsOf({ HUBSPOT_ACCESS_TOKEN: TOKEN, CONNECTOR_ACCOUNTS_FILE: bad }).map((problem) =>
        problem.replace(`CONNECTOR_ACCOUNTS_FILE (${bad}): `, ''),
      ),
    ).toEqual([
      'accounts.shared.limits.callsPerWindow: must be an integer of at least 2',
      "accounts.shared.limits: are the portal's: give them with the account's own credentials, or in default",
      'accounts.odd.limits.perHour: is not a known setting (expected callsPerWindow, windowMs, dailyLimit)',
    ]);
  });
});
