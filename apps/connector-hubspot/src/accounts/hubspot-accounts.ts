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

/** Per-account settings, resolved against the defaults (file `default`, then the HUBSPOT_* variables). */
export const HubspotAccounts = ConnectorAccounts<HubspotAccount>;
export type HubspotAccounts = ConnectorAccounts<HubspotAccount>;

/**
 * Reads CONNECTOR_ACCOUNTS_FILE (when set) and the default portal's HUBSPOT_* variables; throws one
 * ConfigError listing every problem, never a token.
 */
export function loadHubspotAccounts(config: HubspotConfig): HubspotAccounts {
  const baseUrl = config.HUBSPOT_BASE_URL.replace(/\/+$/, '');
  return loadConnectorAccounts(config.CONNECTOR_ACCOUNTS_FILE, {
    crm: 'HubSpot',
    credentialScope: 'portal',
    credentials: {
      keys: ['accessToken', 'baseUrl'],
      fromFile: (raw, path, problems) => credentialsFromFile(raw, path, problems, baseUrl),
      fromEnv: () =>
        config.HUBSPOT_ACCESS_TOKEN ? { accessToken: config.HUBSPOT_ACCESS_TOKEN, baseUrl } : undefined,
      missing: { env: 'HUBSPOT_ACCESS_TOKEN', file: 'a token' },
    },
    recordModes: {
      allowed: ['per-person'],
      default: 'per-person',
      reason:
        'HubSpot keeps one contact per email address, so a second lead of a person cannot have a contact of its own',
    },
    mapping: {
      protectedFields: ['email'],
      requiredFields: [],
      fieldName: { pattern: /^[a-z][a-z0-9_]*$/, problem: 'is not a property internal name' },
      tierValues: { leadStatus: DEFAULT_LEAD_STATUS, lifecycleStage: DEFAULT_LIFECYCLE_STAGE },
    },
    settings: { erasure: oneOfSetting(HUBSPOT_ERASURE_MODES, 'gdpr-delete') },
    account: ({ credentials, sharedCredentials, fields, tierValues, settings, limits }) => ({
      credentials,
      sharedPortal: sharedCredentials,
      fields,
      ...tierValues,
      ...settings,
      ...(limits ? { limits } : {}),
    }),
  });
}

function credentialsFromFile(
  raw: Record<string, unknown>,
  path: string,
  problems: AccountsFileProblems,
  defaultBaseUrl: string,
): HubspotCredentials | undefined {
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
