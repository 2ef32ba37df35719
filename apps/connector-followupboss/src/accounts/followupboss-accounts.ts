import {
  ConnectorAccounts,
  credentialKey,
  loadConnectorAccounts,
  type AccountSetting,
  type AccountsFileProblems,
  type CallLimits,
  type Credential,
} from '@lead-delivery/connector-kit';
import {
  DEFAULT_EVENT_TYPES,
  FUB_EVENT_TYPES,
  INQUIRY_KINDS,
  type FubEventType,
  type InquiryKind,
} from '../event/event-type';
import type { FollowupbossConfig } from '../followupboss.config';

/** What a call to one Follow Up Boss account needs: where, its API key, and the system's headers. */
export interface FollowupbossCredentials {
  baseUrl: string;
  apiKey: string;
  system: string;
  systemKey?: string;
}

/** One account (agent, team or brokerage) of the platform and its Follow Up Boss settings. */
export interface FollowupbossAccount {
  id: string;
  /** Undefined when neither the account nor the default has an API key: its leads wait (auth). */
  credentials: FollowupbossCredentials | undefined;
  /** The event's `source`: Lead Flow assigns and notifies by it. */
  source: string;
  eventTypes: Record<InquiryKind, FubEventType>;
  limits?: CallLimits;
}

export const FollowupbossAccounts = ConnectorAccounts<FollowupbossAccount>;
export type FollowupbossAccounts = ConnectorAccounts<FollowupbossAccount>;

/**
 * CONNECTOR_ACCOUNTS_FILE (when set) over the FOLLOWUPBOSS_* defaults, through the kit's loader: an
 * account's `credentials.apiKey`, its `systemKey`, `source` and `eventTypes`; one ConfigError listing
 * every problem, never a key.
 */
export function loadFollowupbossAccounts(config: FollowupbossConfig): FollowupbossAccounts {
  const baseUrl = config.FOLLOWUPBOSS_BASE_URL.replace(/\/+$/, '');
  return loadConnectorAccounts(config.CONNECTOR_ACCOUNTS_FILE, {
    crm: 'Follow Up Boss',
    credentialScope: 'API key',
    credentials: {
      keys: ['apiKey'],
      fromFile: (raw, path, problems) => {
        const apiKey = problems.text(raw['apiKey'], `${path}.apiKey`);
        return apiKey ? { apiKey } : undefined;
      },
      fromEnv: () => (config.FOLLOWUPBOSS_API_TOKEN ? { apiKey: config.FOLLOWUPBOSS_API_TOKEN } : undefined),
      missing: { env: 'FOLLOWUPBOSS_API_TOKEN', file: 'an apiKey' },
    },
    recordModes: {
      allowed: ['per-person'],
      default: 'per-person',
      reason: 'Follow Up Boss merges the people of events by email and phone itself',
    },
    mapping: {
      protectedFields: [],
      requiredFields: [],
      // The event's fields are fixed by the API; what an account may change is `source` and `eventTypes`.
      fieldName: { pattern: /^(?!)/, problem: 'cannot be overridden: set source or eventTypes instead' },
      tierValues: {},
    },
    settings: {
      systemKey: optionalText(config.FOLLOWUPBOSS_SYSTEM_KEY),
      source: optionalText(config.FOLLOWUPBOSS_SOURCE),
      eventTypes: eventTypesSetting,
    },
    account: ({ credentials, settings, limits }) => ({
      credentials: credentials && {
        baseUrl,
        apiKey: credentials.apiKey,
        system: config.FOLLOWUPBOSS_SYSTEM,
        ...(settings.systemKey ? { systemKey: settings.systemKey } : {}),
      },
      source: settings.source,
      eventTypes: { ...DEFAULT_EVENT_TYPES, ...settings.eventTypes },
      ...(limits ? { limits } : {}),
    }),
  });
}

function optionalText<T extends string | undefined>(fallback: T): AccountSetting<string | T> {
  return {
    read: (value, path, problems) => problems.text(value, path, { optional: true }),
    default: fallback,
  };
}

/** `{ "<inquiry kind>": "<event type>" }`: the types an account sends instead of the defaults. */
const eventTypesSetting: AccountSetting<Partial<Record<InquiryKind, FubEventType>>> = {
  default: {},
  read(value: unknown, path: string, problems: AccountsFileProblems) {
    if (value === undefined) return undefined;
    const raw = problems.object(value, path, INQUIRY_KINDS) ?? {};
    const types: Partial<Record<InquiryKind, FubEventType>> = {};
    for (const kind of INQUIRY_KINDS) {
      const type = problems.oneOf(raw[kind], `${path}.${kind}`, FUB_EVENT_TYPES);
      if (type) types[kind] = type;
    }
    return types;
  },
};

/** The account's API key as the kit's call budgets know it: a hash, never the key. */
export function followupbossCredentialOf(account: FollowupbossAccount): Credential {
  if (!account.credentials) return { key: `no-key:${account.id}` };
  const { baseUrl, apiKey } = account.credentials;
  return { key: credentialKey(baseUrl, apiKey), ...(account.limits ? { limits: account.limits } : {}) };
}
