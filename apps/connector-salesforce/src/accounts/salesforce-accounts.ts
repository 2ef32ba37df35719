import {
  ConnectorAccounts,
  credentialKey,
  loadConnectorAccounts,
  oneOfSetting,
  type AccountsFileProblems,
  type CallLimits,
  type Credential,
  type FieldSource,
} from '@lead-delivery/connector-kit';
import type { LeadTier } from '@lead-delivery/contracts';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { AUTH_FLOWS, RECORD_MODES, type RecordMode, type SalesforceConfig } from '../salesforce.config';

export type SalesforceCredentials =
  | { flow: 'client_credentials'; loginUrl: string; clientId: string; clientSecret: string }
  | {
      flow: 'jwt_bearer';
      loginUrl: string;
      clientId: string;
      username: string;
      privateKey: KeyObject;
      audience: string;
    };

/** Everything the connector needs to know about one account (agent, broker or office). */
export interface SalesforceAccount {
  id: string;
  /** Undefined when neither the account nor the defaults have any: its leads wait (auth) until configured. */
  credentials: SalesforceCredentials | undefined;
  /** The default org, shared by every account without its own: its daily limit concerns them all. */
  sharedOrg: boolean;
  recordMode: RecordMode;
  /** Overrides of the default Lead mapping, by field API name. */
  fields: Record<string, FieldSource>;
  /** Lead `Rating` per tier. */
  rating: Record<LeadTier, string>;
  /** How an erasure clears the person's Leads (see SalesforceEraser); deleted when unset. */
  erasure?: SalesforceErasureMode;
  /** The call budget of the account's org, where it differs from the default (see connector-kit). */
  limits?: CallLimits;
}

export const SALESFORCE_ERASURE_MODES = ['delete', 'anonymise'] as const;
export type SalesforceErasureMode = (typeof SALESFORCE_ERASURE_MODES)[number];

export const DEFAULT_RATING: Record<LeadTier, string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold' };
export const REQUIRED_LEAD_FIELDS = ['LastName', 'Company'] as const;

/** Per-account settings, resolved against the defaults (file `default`, then the SALESFORCE_* variables). */
export const SalesforceAccounts = ConnectorAccounts<SalesforceAccount>;
export type SalesforceAccounts = ConnectorAccounts<SalesforceAccount>;

/**
 * Reads CONNECTOR_ACCOUNTS_FILE (when set) and the default org's SALESFORCE_* variables; throws one
 * ConfigError listing every problem, never a secret.
 */
export function loadSalesforceAccounts(config: SalesforceConfig): SalesforceAccounts {
  const defaultLoginUrl = config.SALESFORCE_LOGIN_URL?.replace(/\/+$/, '');
  return loadConnectorAccounts(config.CONNECTOR_ACCOUNTS_FILE, {
    crm: 'Salesforce',
    credentialScope: 'org',
    credentials: {
      keys: ['flow', 'loginUrl', 'clientId', 'clientSecret', 'username', 'privateKey', 'audience'],
      fromFile: (raw, path, problems) => credentialsFromFile(raw, path, problems, defaultLoginUrl),
      fromEnv: (report) => credentialsFromEnv(config, report),
      missing: {
        env: 'SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (or the SALESFORCE_JWT_* settings)',
        file: 'credentials',
      },
    },
    recordModes: { allowed: RECORD_MODES, default: config.SALESFORCE_RECORD_MODE },
    mapping: {
      protectedFields: [config.SALESFORCE_LEAD_EXTERNAL_ID_FIELD, config.SALESFORCE_PERSON_EXTERNAL_ID_FIELD],
      requiredFields: REQUIRED_LEAD_FIELDS,
      fieldName: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, problem: 'is not a field API name' },
      tierValues: { rating: DEFAULT_RATING },
    },
    settings: { erasure: oneOfSetting(SALESFORCE_ERASURE_MODES, 'delete') },
    account: ({ credentials, sharedCredentials, recordMode, fields, tierValues, settings, limits }) => ({
      credentials,
      sharedOrg: sharedCredentials,
      recordMode,
      fields,
      ...tierValues,
      ...settings,
      ...(limits ? { limits } : {}),
    }),
  });
}

/** Credentials of the file; `loginUrl` defaults to SALESFORCE_LOGIN_URL. */
function credentialsFromFile(
  raw: Record<string, unknown>,
  path: string,
  problems: AccountsFileProblems,
  defaultLoginUrl: string | undefined,
): SalesforceCredentials | undefined {
  const flow = problems.oneOf(raw['flow'] ?? 'client_credentials', `${path}.flow`, AUTH_FLOWS);
  let loginUrl: string | undefined = defaultLoginUrl;
  if (raw['loginUrl'] !== undefined) loginUrl = httpUrl(raw['loginUrl'], `${path}.loginUrl`, problems);
  else if (!defaultLoginUrl) problems.add(`${path}.loginUrl`, 'must be set, here or as SALESFORCE_LOGIN_URL');
  const clientId = problems.text(raw['clientId'], `${path}.clientId`);
  if (flow === 'jwt_bearer') {
    const username = problems.text(raw['username'], `${path}.username`);
    const privateKey = pemKey(raw['privateKey'], (problem) => problems.add(`${path}.privateKey`, problem));
    const audience =
      raw['audience'] === undefined
        ? 'https://login.salesforce.com'
        : httpUrl(raw['audience'], `${path}.audience`, problems);
    return loginUrl && clientId && username && privateKey && audience
      ? { flow, loginUrl, clientId, username, privateKey, audience }
      : undefined;
  }
  const clientSecret = problems.text(raw['clientSecret'], `${path}.clientSecret`);
  return flow && loginUrl && clientId && clientSecret
    ? { flow: 'client_credentials', loginUrl, clientId, clientSecret }
    : undefined;
}

/** The default org of the SALESFORCE_* variables; SALESFORCE_LOGIN_URL alone only serves the file's credentials. */
function credentialsFromEnv(
  config: SalesforceConfig,
  report: (problem: string) => void,
): SalesforceCredentials | undefined {
  const loginUrl = config.SALESFORCE_LOGIN_URL?.replace(/\/+$/, '');
  const clientId = config.SALESFORCE_CLIENT_ID;
  if (!clientId) return undefined;
  const missing = (name: string) =>
    report(`${name}: must be set with the other default-org settings (not set).`);
  if (!loginUrl) missing('SALESFORCE_LOGIN_URL');
  if (config.SALESFORCE_AUTH_FLOW === 'jwt_bearer') {
    if (!config.SALESFORCE_JWT_USERNAME) missing('SALESFORCE_JWT_USERNAME');
    if (!config.SALESFORCE_JWT_PRIVATE_KEY) missing('SALESFORCE_JWT_PRIVATE_KEY');
    const privateKey = config.SALESFORCE_JWT_PRIVATE_KEY
      ? pemKey(config.SALESFORCE_JWT_PRIVATE_KEY, (problem) =>
          report(`SALESFORCE_JWT_PRIVATE_KEY: ${problem} (secret, not shown).`),
        )
      : undefined;
    return loginUrl && clientId && config.SALESFORCE_JWT_USERNAME && privateKey
      ? {
          flow: 'jwt_bearer',
          loginUrl,
          clientId,
          username: config.SALESFORCE_JWT_USERNAME,
          privateKey,
          audience: config.SALESFORCE_JWT_AUDIENCE,
        }
      : undefined;
  }
  if (!config.SALESFORCE_CLIENT_SECRET) missing('SALESFORCE_CLIENT_SECRET');
  return loginUrl && clientId && config.SALESFORCE_CLIENT_SECRET
    ? { flow: 'client_credentials', loginUrl, clientId, clientSecret: config.SALESFORCE_CLIENT_SECRET }
    : undefined;
}

function httpUrl(value: unknown, path: string, problems: AccountsFileProblems): string | undefined {
  const text = problems.text(value, path);
  if (text === undefined) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return text.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  problems.add(path, 'must be an http(s) URL');
  return undefined;
}

function pemKey(value: unknown, problem: (text: string) => void): KeyObject | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problem('must be a PEM private key');
    return undefined;
  }
  try {
    const key = createPrivateKey(value.replace(/\\n/g, '\n'));
    if (key.asymmetricKeyType === 'rsa') return key;
    problem('must be an RSA private key (RS256)');
  } catch {
    problem('is not a readable PEM private key');
  }
  return undefined;
}

/**
 * The account's org as the kit's call budgets know it: a hash of its login URL, client and user (never a
 * secret), so that every account on one org shares its budget, with the org's limits.
 */
export function salesforceCredentialOf(account: SalesforceAccount): Credential {
  if (!account.credentials) return { key: `no-credentials:${account.id}` };
  const { loginUrl, clientId } = account.credentials;
  const user = account.credentials.flow === 'jwt_bearer' ? account.credentials.username : '';
  return {
    key: credentialKey(loginUrl, clientId, user),
    ...(account.limits ? { limits: account.limits } : {}),
  };
}
