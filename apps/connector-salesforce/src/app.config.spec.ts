import { ConfigError } from '@lead-delivery/config';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSalesforceConfig } from './app.config';

const BASE_ENV = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  CONNECTOR_DATABASE_URL: 'postgres://connector:secret@127.0.0.1:5432/lead_delivery',
};
const DEFAULT_ORG = {
  SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com/',
  SALESFORCE_CLIENT_ID: 'default-client',
  SALESFORCE_CLIENT_SECRET: 'default-secret-value',
};
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function accountsFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sf-accounts-')), 'accounts.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadSalesforceConfig({ ...BASE_ENV, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSalesforceConfig', () => {
  it('uses the SALESFORCE_* org for every account when there is no accounts file', () => {
    const config = loadSalesforceConfig({ ...BASE_ENV, ...DEFAULT_ORG });
    expect(config.salesforce).toMatchObject({
      SALESFORCE_API_VERSION: '62.0',
      SALESFORCE_LEAD_EXTERNAL_ID_FIELD: 'Realtor_Lead_Id__c',
      SALESFORCE_PERSON_EXTERNAL_ID_FIELD: 'Realtor_Person_Key__c',
      SALESFORCE_RECORD_MODE: 'per-lead',
    });
    expect(config.accounts.of('anyone')).toEqual({
      id: 'anyone',
      erasure: 'delete',
      credentials: {
        flow: 'client_credentials',
        loginUrl: 'https://acme.my.salesforce.com',
        clientId: 'default-client',
        clientSecret: 'default-secret-value',
      },
      sharedOrg: true,
      recordMode: 'per-lead',
      fields: {},
      rating: { hot: 'Hot', warm: 'Warm', cold: 'Cold' },
    });
  });

  it('gives each account of the file its own org, record mode and mapping, over the file default', () => {
    const file = accountsFile({
      default: {
        recordMode: 'per-person',
        mapping: { fields: { LeadSource: { const: 'Realtor.com' } }, rating: { cold: 'Frozen' } },
      },
      accounts: {
        'acct-own-org': {
          credentials: {
            loginUrl: 'https://own.my.salesforce.com',
            clientId: 'own',
            clientSecret: 'own-secret',
          },
          recordMode: 'per-lead',
          mapping: {
            fields: { Description: null, MLS__c: { from: 'lead.property.mls_id' } },
            rating: { hot: 'A' },
          },
        },
        'acct-jwt': {
          credentials: {
            flow: 'jwt_bearer',
            loginUrl: 'https://jwt.my.salesforce.com',
            clientId: 'jwt-client',
            username: 'integration@jwt.example',
            privateKey: PEM.replace(/\n/g, '\\n'),
            audience: 'https://test.salesforce.com',
          },
        },
      },
    });
    const { accounts } = loadSalesforceConfig({ ...BASE_ENV, ...DEFAULT_ORG, CONNECTOR_ACCOUNTS_FILE: file });

    expect(accounts.of('acct-own-org')).toMatchObject({
      credentials: { loginUrl: 'https://own.my.salesforce.com', clientId: 'own' },
      sharedOrg: false,
      recordMode: 'per-lead',
      fields: {
        LeadSource: { const: 'Realtor.com' },
        Description: null,
        MLS__c: { from: 'lead.property.mls_id' },
      },
      rating: { hot: 'A', warm: 'Warm', cold: 'Frozen' },
    });
    expect(accounts.of('acct-jwt')).toMatchObject({
      credentials: {
        flow: 'jwt_bearer',
        username: 'integration@jwt.example',
        audience: 'https://test.salesforce.com',
      },
      sharedOrg: false,
      recordMode: 'per-person',
    });
    expect(accounts.of('acct-unlisted')).toMatchObject({
      credentials: { clientId: 'default-client' },
      sharedOrg: true,
      recordMode: 'per-person',
    });
  });

  it('runs with accounts that all have their own org and no default org', () => {
    const file = accountsFile({
      accounts: {
        a: { credentials: { loginUrl: 'http://127.0.0.1:4010', clientId: 'c', clientSecret: 's' } },
      },
    });
    const { accounts } = loadSalesforceConfig({ ...BASE_ENV, CONNECTOR_ACCOUNTS_FILE: file });
    expect(accounts.of('a').credentials).toBeDefined();
    expect(accounts.of('b').credentials).toBeUndefined();
  });

  it('lets the file give the default org, with SALESFORCE_LOGIN_URL as its login URL', () => {
    const file = accountsFile({
      default: { credentials: { clientId: 'file-client', clientSecret: 'file-secret' } },
    });
    const { accounts } = loadSalesforceConfig({
      ...BASE_ENV,
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:4010',
      CONNECTOR_ACCOUNTS_FILE: file,
    });
    expect(accounts.of('anyone')).toMatchObject({
      credentials: { loginUrl: 'http://127.0.0.1:4010', clientId: 'file-client' },
      sharedOrg: true,
    });
    expect(problemsOf({ CONNECTOR_ACCOUNTS_FILE: file })).toEqual([
      `CONNECTOR_ACCOUNTS_FILE (${file}): default.credentials.loginUrl: must be set, here or as SALESFORCE_LOGIN_URL`,
    ]);
  });

  it('refuses to start without any Salesforce credentials', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^Salesforce credentials: none configured/)]);
  });

  it('reports every problem of the environment at once, without showing secrets', () => {
    const problems = problemsOf({
      SALESFORCE_CLIENT_ID: 'c',
      SALESFORCE_CLIENT_SECRET: 'top-secret-value',
      SALESFORCE_API_VERSION: '45.0',
      SALESFORCE_RECORD_MODE: 'per-household',
      SALESFORCE_LEAD_EXTERNAL_ID_FIELD: 'Email',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^SALESFORCE_API_VERSION: must be 46.0 or later/),
      expect.stringMatching(/^SALESFORCE_LEAD_EXTERNAL_ID_FIELD: must be the API name of a custom field/),
      expect.stringMatching(/^SALESFORCE_RECORD_MODE: /),
    ]);
    expect(problemsOf({ SALESFORCE_CLIENT_ID: 'c', SALESFORCE_CLIENT_SECRET: 'top-secret-value' })).toEqual([
      'SALESFORCE_LOGIN_URL: must be set with the other default-org settings (not set).',
    ]);
  });

  it('checks the JWT private key of the default org without printing it', () => {
    const problems = problemsOf({
      SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com',
      SALESFORCE_CLIENT_ID: 'c',
      SALESFORCE_AUTH_FLOW: 'jwt_bearer',
      SALESFORCE_JWT_USERNAME: 'u@example.com',
      SALESFORCE_JWT_PRIVATE_KEY: 'not-a-key-but-secret',
    });
    expect(problems).toEqual([
      'SALESFORCE_JWT_PRIVATE_KEY: is not a readable PEM private key (secret, not shown).',
    ]);
  });

  it('reports every problem of the accounts file with its JSON path, never a secret', () => {
    const file = accountsFile({
      default: { recordMode: 'sometimes', colour: 'blue' },
      accounts: {
        broken: {
          credentials: { loginUrl: 'ftp://x', clientId: '', clientSecret: 'very-secret-value' },
          mapping: {
            fields: {
              Realtor_Lead_Id__c: { const: 'x' },
              LastName: null,
              Company: { from: 'process.env.SECRET' },
              'Bad Name': { const: 1 },
              Rating: { const: 'Hot', from: 'lead.x' },
            },
            rating: { scorching: 'X' },
          },
        },
        jwt: {
          credentials: {
            flow: 'jwt_bearer',
            loginUrl: 'https://a.b',
            clientId: 'c',
            username: 'u',
            privateKey: 'nope',
          },
        },
      },
    });
    const problems = problemsOf({ ...DEFAULT_ORG, CONNECTOR_ACCOUNTS_FILE: file });
    const prefix = `CONNECTOR_ACCOUNTS_FILE (${file}): `;
    expect(problems.map((problem) => problem.replace(prefix, ''))).toEqual([
      'default.colour: is not a known setting (expected credentials, recordMode, mapping, erasure, limits)',
      'default.recordMode: must be one of per-lead, per-person',
      'accounts.broken.mapping.fields.Realtor_Lead_Id__c: is the upsert key, which the connector sets',
      'accounts.broken.mapping.fields.LastName: is required by the CRM: it can be replaced, not removed',
      'accounts.broken.mapping.fields.Company: "process.env.SECRET" is not a path into the enriched event (it starts with lead, enrichment, routing, kind)',
      'accounts.broken.mapping.fields.Rating: must be null, {"const": value}, {"from": "lead.…"} or {"template": "… {lead.…} …"}',
      'accounts.broken.mapping.fields.Bad Name: is not a field API name',
      'accounts.broken.credentials.loginUrl: must be an http(s) URL',
      'accounts.broken.credentials.clientId: must be a non-blank string',
      'accounts.broken.mapping.rating.scorching: is not a known setting (expected hot, warm, cold)',
      'accounts.jwt.credentials.privateKey: is not a readable PEM private key',
    ]);
    expect(problems.join('\n')).not.toMatch(/very-secret-value|default-secret-value/);
  });

  it('reports an accounts file that is not JSON', () => {
    const file = accountsFile('{ not json');
    expect(problemsOf({ ...DEFAULT_ORG, CONNECTOR_ACCOUNTS_FILE: file })).toEqual([
      expect.stringMatching(/: \(top level\): cannot be read as JSON: /),
    ]);
  });
});
