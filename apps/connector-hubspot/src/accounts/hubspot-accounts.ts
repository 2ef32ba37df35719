import {
  AccountsFileProblems,
  ConnectorAccounts,
  credentialKey,
  type CallLimits,
  type Credential,
  type FieldSource,
  readAccountsFile,
  readCallLimits,
  readFieldOverrides,
  readTierValues,
} from '@lead-delivery/connector-kit';
import { ConfigError } from '@lead-delivery/config';
import type { LeadTier } from '@lead-delivery/contracts';
import type { HubspotConfig } from '../hubspot.config';

/** A portal's private-app token and the API it is called at. */
export interface HubspotCredentials {
  accessToken: string;
  baseUrl: string;
}

/** Everything the connector needs to know about one account (agent, broker or office). */
export interface HubspotAccount {
  id: string;
  /** Undefined when neither the account nor the defaults have a token: its leads wait (auth) until configured. */
  credentials: HubspotCredentials | undefined;
  /** The default portal, shared by every account without its own: its daily limit concerns them all. */
  sharedPortal: boolean;
  /** Overrides of the default contact mapping, by property internal name. */
  fields: Record<string, FieldSource>;
  /** `hs_lead_status` per tier. */
  leadStatus: Record<LeadTier, string>;
  /** `lifecyclestage` (internal value) per tier. */
  lifecycleStage: Record<LeadTier, string>;
  /** How an erasure clears the person (see HubspotEraser); GDPR delete when unset. */
  erasure?: HubspotErasureMode;
  /** The call budget of the account's portal, where it differs from HubSpot's (see connector-kit). */
  limits?: CallLimits;
}

export const HUBSPOT_ERASURE_MODES = ['gdpr-delete', 'remove-ours'] as const;
export type HubspotErasureMode = (typeof HUBSPOT_ERASURE_MODES)[number];

export const DEFAULT_LEAD_STATUS: Record<LeadTier, string> = { hot: 'NEW', warm: 'NEW', cold: 'NEW' };
export const DEFAULT_LIFECYCLE_STAGE: Record<LeadTier, string> = {
  hot: 'salesqualifiedlead',
  warm: 'marketingqualifiedlead',
  cold: 'lead',
};
const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/;
const SETTINGS_KEYS = ['credentials', 'recordMode', 'mapping', 'erasure', 'limits'];

/** Per-account settings, resolved against the defaults (file `default`, then the HUBSPOT_* variables). */
export class HubspotAccounts extends ConnectorAccounts<HubspotAccount> {}

interface Settings {
  credentials?: HubspotCredentials;
  fields: Record<string, FieldSource>;
  leadStatus: Partial<Record<LeadTier, string>>;
  lifecycleStage: Partial<Record<LeadTier, string>>;
  erasure?: HubspotErasureMode;
  limits?: CallLimits;
}

/**
 * Reads CONNECTOR_ACCOUNTS_FILE (when set) and the default portal's HUBSPOT_* variables; throws one
 * ConfigError listing every problem, never a token.
 */
export function loadHubspotAccounts(config: HubspotConfig): HubspotAccounts {
  const problems: string[] = [];
  const baseUrl = config.HUBSPOT_BASE_URL.replace(/\/+$/, '');
  const envCredentials = config.HUBSPOT_ACCESS_TOKEN
    ? { accessToken: config.HUBSPOT_ACCESS_TOKEN, baseUrl }
    : undefined;

  let fileDefaults: Settings = { fields: {}, leadStatus: {}, lifecycleStage: {} };
  const fileAccounts = new Map<string, Settings>();
  if (config.CONNECTOR_ACCOUNTS_FILE) {
    const fileProblems = new AccountsFileProblems(config.CONNECTOR_ACCOUNTS_FILE);
    const { defaults, accounts } = readAccountsFile(config.CONNECTOR_ACCOUNTS_FILE, fileProblems);
    if (defaults !== undefined) fileDefaults = readSettings(defaults, 'default', fileProblems, baseUrl);
    for (const [accountId, settings] of accounts) {
      if (accountId.trim() === '') fileProblems.add('accounts', 'account ids must not be blank');
      fileAccounts.set(accountId, readSettings(settings, `accounts.${accountId}`, fileProblems, baseUrl));
    }
    problems.push(...fileProblems.list);
  }

  const defaultCredentials = fileDefaults.credentials ?? envCredentials;
  const anyCredentials =
    defaultCredentials !== undefined || [...fileAccounts.values()].some((settings) => settings.credentials);
  if (!anyCredentials && problems.length === 0) {
    problems.push(
      'HubSpot credentials: none configured. Set HUBSPOT_ACCESS_TOKEN, or give accounts a token in CONNECTOR_ACCOUNTS_FILE.',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const resolve = (settings: Settings): Omit<HubspotAccount, 'id'> => ({
    credentials: settings.credentials ?? defaultCredentials,
    sharedPortal: settings.credentials === undefined,
    fields: { ...fileDefaults.fields, ...settings.fields },
    leadStatus: { ...DEFAULT_LEAD_STATUS, ...fileDefaults.leadStatus, ...settings.leadStatus },
    lifecycleStage: {
      ...DEFAULT_LIFECYCLE_STAGE,
      ...fileDefaults.lifecycleStage,
      ...settings.lifecycleStage,
    },
    erasure: settings.erasure ?? fileDefaults.erasure ?? 'gdpr-delete',
    // Limits are the portal's: an account on the default portal has the default's.
    ...((settings.credentials ? settings.limits : fileDefaults.limits)
      ? { limits: (settings.credentials ? settings.limits : fileDefaults.limits) as CallLimits }
      : {}),
  });
  const accounts = new Map(
    [...fileAccounts].map(([accountId, settings]) => [accountId, { id: accountId, ...resolve(settings) }]),
  );
  return new HubspotAccounts(resolve({ fields: {}, leadStatus: {}, lifecycleStage: {} }), accounts);
}

function readSettings(
  value: unknown,
  path: string,
  problems: AccountsFileProblems,
  baseUrl: string,
): Settings {
  const settings = problems.object(value, path, SETTINGS_KEYS) ?? {};
  // HubSpot keeps one contact per email address, so a HubSpot account is always one record per person.
  if (settings['recordMode'] !== undefined && settings['recordMode'] !== 'per-person') {
    problems.add(
      `${path}.recordMode`,
      'must be per-person: HubSpot keeps one contact per email address, so a second lead of a person cannot have a contact of its own',
    );
  }
  const mapping =
    settings['mapping'] === undefined
      ? {}
      : (problems.object(settings['mapping'], `${path}.mapping`, [
          'fields',
          'leadStatus',
          'lifecycleStage',
        ]) ?? {});
  const fields = readFieldOverrides(mapping['fields'], `${path}.mapping.fields`, problems, {
    protectedFields: ['email'],
    requiredFields: [],
  });
  for (const field of Object.keys(fields)) {
    if (!PROPERTY_NAME.test(field))
      problems.add(`${path}.mapping.fields.${field}`, 'is not a property internal name');
  }
  const erasure = settings['erasure'];
  if (erasure !== undefined && !(HUBSPOT_ERASURE_MODES as readonly unknown[]).includes(erasure)) {
    problems.add(`${path}.erasure`, `must be one of ${HUBSPOT_ERASURE_MODES.join(', ')}`);
  }
  const credentials =
    settings['credentials'] === undefined
      ? undefined
      : credentialsFromFile(settings['credentials'], `${path}.credentials`, problems, baseUrl);
  const limits = readCallLimits(settings['limits'], `${path}.limits`, problems);
  if (limits && settings['credentials'] === undefined && path !== 'default') {
    problems.add(
      `${path}.limits`,
      "are the portal's: give them with the account's own credentials, or in default",
    );
  }
  return {
    ...(limits ? { limits } : {}),
    fields,
    leadStatus: readTierValues(mapping['leadStatus'], `${path}.mapping.leadStatus`, problems),
    lifecycleStage: readTierValues(mapping['lifecycleStage'], `${path}.mapping.lifecycleStage`, problems),
    ...(credentials ? { credentials } : {}),
    ...(HUBSPOT_ERASURE_MODES.includes(erasure as HubspotErasureMode)
      ? { erasure: erasure as HubspotErasureMode }
      : {}),
  };
}

function credentialsFromFile(
  value: unknown,
  path: string,
  problems: AccountsFileProblems,
  defaultBaseUrl: string,
): HubspotCredentials | undefined {
  const raw = problems.object(value, path, ['accessToken', 'baseUrl']);
  if (!raw) return undefined;
  const accessToken = problems.text(raw['accessToken'], `${path}.accessToken`);
  let baseUrl: string | undefined = defaultBaseUrl;
  if (raw['baseUrl'] !== undefined) {
    baseUrl = problems.text(raw['baseUrl'], `${path}.baseUrl`);
    if (baseUrl !== undefined && !/^https?:\/\/[^/]/.test(baseUrl)) {
      problems.add(`${path}.baseUrl`, 'must be an http(s) URL');
      baseUrl = undefined;
    }
  }
  return accessToken && baseUrl ? { accessToken, baseUrl: baseUrl.replace(/\/+$/, '') } : undefined;
}

/**
 * The account's portal as the kit's call budgets know it: a hash of its base URL and token (never the
 * token), so that every account on one portal shares its budget, with the portal's limits.
 */
export function hubspotCredentialOf(account: HubspotAccount): Credential {
  if (!account.credentials) return { key: `no-token:${account.id}` };
  const { baseUrl, accessToken } = account.credentials;
  return { key: credentialKey(baseUrl, accessToken), ...(account.limits ? { limits: account.limits } : {}) };
}
