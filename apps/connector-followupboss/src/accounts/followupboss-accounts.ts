import {
  AccountsFileProblems,
  ConnectorAccounts,
  credentialKey,
  readAccountsFile,
  readCallLimits,
  type CallLimits,
  type Credential,
} from '@lead-delivery/connector-kit';
import { ConfigError } from '@lead-delivery/config';
import type { FollowupbossConfig } from '../followupboss.config';
import {
  DEFAULT_EVENT_TYPES,
  FUB_EVENT_TYPES,
  INQUIRY_KINDS,
  type FubEventType,
  type InquiryKind,
} from '../event/event-type';

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

interface Settings {
  apiKey?: string;
  systemKey?: string;
  source?: string;
  eventTypes: Partial<Record<InquiryKind, FubEventType>>;
  limits?: CallLimits;
}

const SETTINGS_KEYS = ['apiKey', 'systemKey', 'source', 'eventTypes', 'limits'];

export class FollowupbossAccounts extends ConnectorAccounts<FollowupbossAccount> {}

/**
 * CONNECTOR_ACCOUNTS_FILE (when set) over the FOLLOWUPBOSS_* defaults; one ConfigError listing every
 * problem, never a key. Without any API key the connector cannot deliver anything, so that is a problem too.
 */
export function loadFollowupbossAccounts(config: FollowupbossConfig): FollowupbossAccounts {
  const problems = new AccountsFileProblems(config.CONNECTOR_ACCOUNTS_FILE ?? '');
  let defaults: Settings = { eventTypes: {} };
  const accounts = new Map<string, Settings>();
  if (config.CONNECTOR_ACCOUNTS_FILE) {
    const file = readAccountsFile(config.CONNECTOR_ACCOUNTS_FILE, problems);
    if (file.defaults !== undefined) defaults = readSettings(file.defaults, 'default', problems);
    for (const [id, settings] of file.accounts)
      accounts.set(id, readSettings(settings, `accounts.${id}`, problems));
  }
  const defaultKey = defaults.apiKey ?? config.FOLLOWUPBOSS_API_TOKEN;
  const list = [...problems.list];
  if (!defaultKey && ![...accounts.values()].some((settings) => settings.apiKey) && list.length === 0) {
    list.push(
      'Follow Up Boss API key: none configured. Set FOLLOWUPBOSS_API_TOKEN, or give accounts an apiKey in CONNECTOR_ACCOUNTS_FILE.',
    );
  }
  if (list.length > 0) throw new ConfigError(list);

  const baseUrl = config.FOLLOWUPBOSS_BASE_URL.replace(/\/+$/, '');
  const resolve = (settings: Settings): Omit<FollowupbossAccount, 'id'> => {
    const apiKey = settings.apiKey ?? defaultKey;
    const systemKey = settings.systemKey ?? defaults.systemKey ?? config.FOLLOWUPBOSS_SYSTEM_KEY;
    // Limits belong to the API key: an account on the default key has the default's.
    const limits = settings.apiKey ? settings.limits : defaults.limits;
    return {
      credentials: apiKey
        ? { baseUrl, apiKey, system: config.FOLLOWUPBOSS_SYSTEM, ...(systemKey ? { systemKey } : {}) }
        : undefined,
      source: settings.source ?? defaults.source ?? config.FOLLOWUPBOSS_SOURCE,
      eventTypes: { ...DEFAULT_EVENT_TYPES, ...defaults.eventTypes, ...settings.eventTypes },
      ...(limits ? { limits } : {}),
    };
  };
  return new FollowupbossAccounts(
    resolve({ eventTypes: {} }),
    new Map([...accounts].map(([id, settings]) => [id, { id, ...resolve(settings) }])),
  );
}

function readSettings(value: unknown, path: string, problems: AccountsFileProblems): Settings {
  const raw = problems.object(value, path, SETTINGS_KEYS) ?? {};
  const text = (key: string) => problems.text(raw[key], `${path}.${key}`, { optional: true });
  const types =
    raw['eventTypes'] === undefined
      ? {}
      : (problems.object(raw['eventTypes'], `${path}.eventTypes`, INQUIRY_KINDS) ?? {});
  const eventTypes: Partial<Record<InquiryKind, FubEventType>> = {};
  for (const kind of INQUIRY_KINDS) {
    const type = problems.oneOf(types[kind], `${path}.eventTypes.${kind}`, FUB_EVENT_TYPES);
    if (type) eventTypes[kind] = type;
  }
  const limits = readCallLimits(raw['limits'], `${path}.limits`, problems);
  if (limits && raw['apiKey'] === undefined && path !== 'default')
    problems.add(
      `${path}.limits`,
      "are the API key's: give them with the account's own apiKey, or in default",
    );
  const [apiKey, systemKey, source] = [text('apiKey'), text('systemKey'), text('source')];
  return {
    eventTypes,
    ...(apiKey ? { apiKey } : {}),
    ...(systemKey ? { systemKey } : {}),
    ...(source ? { source } : {}),
    ...(limits ? { limits } : {}),
  };
}

/** The account's API key as the kit's call budgets know it: a hash, never the key. */
export function followupbossCredentialOf(account: FollowupbossAccount): Credential {
  if (!account.credentials) return { key: `no-key:${account.id}` };
  const { baseUrl, apiKey } = account.credentials;
  return { key: credentialKey(baseUrl, apiKey), ...(account.limits ? { limits: account.limits } : {}) };
}
