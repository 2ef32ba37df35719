import { ConfigError } from '@lead-delivery/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oneOfSetting, type ConnectorAccountsSpec, type ResolvedAccountSettings } from './account-settings';
import { loadConnectorAccounts } from './load-connector-accounts';

/** A CRM of the spec's own: one API key per workspace, a stage per tier, two erasure modes. */
interface AcmeCredentials {
  apiKey: string;
}
type AcmeMode = 'per-lead' | 'per-person';
type AcmeSettings = { erasure: 'delete' | 'anonymise' };
type AcmeAccount = ResolvedAccountSettings<AcmeCredentials, AcmeMode, 'stage', AcmeSettings>;
const ENV_KEY = 'env-api-key-secret';
const FILE_KEY = 'file-api-key-secret';

function acmeSpec(
  env: { ACME_API_KEY?: string; ACME_REGION?: string } = {},
): ConnectorAccountsSpec<AcmeCredentials, AcmeMode, 'stage', AcmeSettings, AcmeAccount> {
  return {
    crm: 'Acme',
    credentialScope: 'workspace',
    credentials: {
      keys: ['apiKey'],
      fromFile: (raw, path, problems) => {
        const apiKey = problems.text(raw['apiKey'], `${path}.apiKey`);
        return apiKey ? { apiKey } : undefined;
      },
      fromEnv: (report) => {
        if (!env.ACME_API_KEY) return undefined;
        if (env.ACME_REGION === undefined) report('ACME_REGION: must be set with ACME_API_KEY (not set).');
        return { apiKey: env.ACME_API_KEY };
      },
      missing: { env: 'ACME_API_KEY', file: 'an API key' },
    },
    recordModes: { allowed: ['per-lead', 'per-person'], default: 'per-lead' },
    mapping: {
      protectedFields: ['Email'],
      requiredFields: ['Name'],
      fieldName: { pattern: /^[A-Z][A-Za-z]*$/, problem: 'is not an Acme field name' },
      tierValues: { stage: { hot: 'Call now', warm: 'Nurture', cold: 'Newsletter' } },
    },
    settings: { erasure: oneOfSetting(['delete', 'anonymise'], 'delete') },
    account: (resolved) => resolved,
  };
}

function accountsFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kit-accounts-')), 'accounts.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(file: string | undefined, env: Parameters<typeof acmeSpec>[0] = {}): string[] {
  try {
    loadConnectorAccounts(file, acmeSpec(env));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** The file's problems without their `CONNECTOR_ACCOUNTS_FILE (<file>): ` prefix. */
function fileProblemsOf(
  content: unknown,
  env: Parameters<typeof acmeSpec>[0] = { ACME_API_KEY: ENV_KEY, ACME_REGION: 'eu' },
) {
  const file = accountsFile(content);
  return problemsOf(file, env).map((problem) => problem.replace(`CONNECTOR_ACCOUNTS_FILE (${file}): `, ''));
}

describe('loadConnectorAccounts', () => {
  it('gives every account the credentials of the variables and the defaults when there is no file', () => {
    const accounts = loadConnectorAccounts(undefined, acmeSpec({ ACME_API_KEY: ENV_KEY, ACME_REGION: 'eu' }));
    expect(accounts.configured).toEqual([]);
    expect(accounts.of('anyone')).toEqual({
      id: 'anyone',
      credentials: { apiKey: ENV_KEY },
      sharedCredentials: true,
      recordMode: 'per-lead',
      fields: {},
      tierValues: { stage: { hot: 'Call now', warm: 'Nurture', cold: 'Newsletter' } },
      settings: { erasure: 'delete' },
    });
  });

  it("resolves each setting from the account, then the file's default, then the connector's default", () => {
    const file = accountsFile({
      default: {
        recordMode: 'per-person',
        mapping: { fields: { Source: { const: 'Realtor.com' } }, stage: { cold: 'Later' } },
        erasure: 'anonymise',
        limits: { callsPerWindow: 50 },
      },
      accounts: {
        own: {
          credentials: { apiKey: FILE_KEY },
          recordMode: 'per-lead',
          mapping: { fields: { Notes: null }, stage: { hot: 'Today' } },
          limits: { dailyLimit: 1000 },
        },
        onDefault: { mapping: { stage: { warm: 'Soon' } } },
      },
    });
    const accounts = loadConnectorAccounts(file, acmeSpec({ ACME_API_KEY: ENV_KEY, ACME_REGION: 'eu' }));

    expect(accounts.configured).toEqual(['own', 'onDefault']);
    expect(accounts.of('own')).toEqual({
      id: 'own',
      credentials: { apiKey: FILE_KEY },
      sharedCredentials: false,
      recordMode: 'per-lead',
      fields: { Source: { const: 'Realtor.com' }, Notes: null },
      tierValues: { stage: { hot: 'Today', warm: 'Nurture', cold: 'Later' } },
      settings: { erasure: 'anonymise' },
      limits: { dailyLimit: 1000 },
    });
    // Limits are the credentials': an account on the default workspace has the default's.
    expect(accounts.of('onDefault')).toMatchObject({
      credentials: { apiKey: ENV_KEY },
      sharedCredentials: true,
      recordMode: 'per-person',
      tierValues: { stage: { hot: 'Call now', warm: 'Soon', cold: 'Later' } },
      limits: { callsPerWindow: 50 },
    });
    expect(accounts.of('unlisted')).toMatchObject({
      id: 'unlisted',
      sharedCredentials: true,
      fields: { Source: { const: 'Realtor.com' } },
      limits: { callsPerWindow: 50 },
    });
  });

  it("prefers the file's default credentials to the variables'", () => {
    const file = accountsFile({ default: { credentials: { apiKey: FILE_KEY } } });
    const accounts = loadConnectorAccounts(file, acmeSpec({ ACME_API_KEY: ENV_KEY, ACME_REGION: 'eu' }));
    expect(accounts.of('anyone')).toMatchObject({
      credentials: { apiKey: FILE_KEY },
      sharedCredentials: true,
    });
  });

  describe('the missing-credentials rule', () => {
    it('refuses to start when no account can have credentials', () => {
      expect(problemsOf(undefined)).toEqual([
        'Acme credentials: none configured. Set ACME_API_KEY, or give accounts an API key in CONNECTOR_ACCOUNTS_FILE.',
      ]);
      expect(fileProblemsOf({ accounts: { a: { recordMode: 'per-person' } } }, {})).toEqual([
        expect.stringMatching(/^Acme credentials: none configured/),
      ]);
    });

    it('runs when only some accounts have credentials: the others wait without any', () => {
      const file = accountsFile({ accounts: { own: { credentials: { apiKey: FILE_KEY } } } });
      const accounts = loadConnectorAccounts(file, acmeSpec());
      expect(accounts.of('own').credentials).toEqual({ apiKey: FILE_KEY });
      expect(accounts.of('other')).toMatchObject({ credentials: undefined, sharedCredentials: true });
    });

    it('is not added to the problems that already explain why', () => {
      expect(fileProblemsOf({ accounts: { a: { credentials: { apiKey: ' ' } } } }, {})).toEqual([
        'accounts.a.credentials.apiKey: must be a non-blank string',
      ]);
    });
  });

  it('reports unknown keys at every level, naming the known ones', () => {
    expect(
      fileProblemsOf({
        defaults: {},
        default: { colour: 'blue', credentials: { apiKey: FILE_KEY, token: 'x' }, limits: { perHour: 5 } },
        accounts: { a: { mapping: { fields: {}, rating: {}, stage: { boiling: 'X' } } } },
      }),
    ).toEqual([
      'defaults: is not a known setting (expected default, accounts)',
      'default.colour: is not a known setting (expected credentials, recordMode, mapping, erasure, limits)',
      'default.credentials.token: is not a known setting (expected apiKey)',
      'default.limits.perHour: is not a known setting (expected callsPerWindow, windowMs, dailyLimit)',
      'accounts.a.mapping.rating: is not a known setting (expected fields, stage)',
      'accounts.a.mapping.stage.boiling: is not a known setting (expected hot, warm, cold)',
    ]);
  });

  it('reports a file that is not JSON, or cannot be read', () => {
    expect(fileProblemsOf('{ "default": ')).toEqual([
      expect.stringMatching(/^\(top level\): cannot be read as JSON: /),
    ]);
    expect(problemsOf(join(tmpdir(), 'no-such-dir', 'accounts.json'))).toEqual([
      expect.stringMatching(/: \(top level\): cannot be read as JSON: ENOENT/),
    ]);
  });

  it("reports every problem at once, the variables' first, each with its JSON path", () => {
    const problems = fileProblemsOf(
      {
        default: { recordMode: 'per-household', erasure: 'shred' },
        accounts: {
          '': {},
          a: {
            mapping: {
              fields: {
                Email: { const: 'x@y.z' },
                Name: null,
                lower: { const: 1 },
                Notes: { from: 'env.X' },
              },
            },
            limits: { callsPerWindow: 1 },
          },
        },
      },
      { ACME_API_KEY: ENV_KEY },
    );
    expect(problems).toEqual([
      'ACME_REGION: must be set with ACME_API_KEY (not set).',
      'default.recordMode: must be one of per-lead, per-person',
      'default.erasure: must be one of delete, anonymise',
      'accounts: account ids must not be blank',
      'accounts.a.mapping.fields.Email: is the upsert key, which the connector sets',
      'accounts.a.mapping.fields.Name: is required by the CRM: it can be replaced, not removed',
      'accounts.a.mapping.fields.Notes: "env.X" is not a path into the enriched event (it starts with lead, enrichment, routing, kind)',
      'accounts.a.mapping.fields.lower: is not an Acme field name',
      'accounts.a.limits.callsPerWindow: must be an integer of at least 2',
      "accounts.a.limits: are the workspace's: give them with the account's own credentials, or in default",
    ]);
  });

  it('explains a record mode the CRM does not have, when it has only one', () => {
    const spec: ConnectorAccountsSpec<AcmeCredentials, AcmeMode, 'stage', AcmeSettings, AcmeAccount> = {
      ...acmeSpec({ ACME_API_KEY: ENV_KEY, ACME_REGION: 'eu' }),
      recordModes: { allowed: ['per-person'], default: 'per-person', reason: 'Acme merges people' },
    };
    const file = accountsFile({
      accounts: { a: { recordMode: 'per-lead' }, b: { recordMode: 'per-person' } },
    });
    try {
      loadConnectorAccounts(file, spec);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        `CONNECTOR_ACCOUNTS_FILE (${file}): accounts.a.recordMode: must be per-person: Acme merges people`,
      ]);
    }
  });

  it('never shows a secret, in the problems or the error message', () => {
    const file = accountsFile({
      default: { credentials: { apiKey: FILE_KEY, password: 'hunter2-secret' } },
      accounts: { a: { credentials: { apiKey: 42 }, limits: { windowMs: 'file-api-key-secret' } } },
    });
    let message = '';
    try {
      loadConnectorAccounts(file, acmeSpec({ ACME_API_KEY: ENV_KEY }));
    } catch (error) {
      message = `${(error as Error).message}\n${(error as ConfigError).problems.join('\n')}`;
    }
    expect(message).toContain('default.credentials.password: is not a known setting');
    expect(message).toContain('accounts.a.credentials.apiKey: must be a non-blank string');
    expect(message).not.toMatch(/secret|hunter2/);
  });
});
