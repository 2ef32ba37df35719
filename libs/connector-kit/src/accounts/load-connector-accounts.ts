import { ConfigError } from '@lead-delivery/config';
import type { LeadTier } from '@lead-delivery/contracts';
import type { CallLimits } from '../budget/call-budget';
import { readCallLimits } from '../budget/call-limits-setting';
import type { FieldSource } from '../mapping/field-source';
import type { AccountSetting, ConnectorAccountsSpec } from './account-settings';
import {
  AccountsFileProblems,
  ConnectorAccounts,
  readAccountsFile,
  readFieldOverrides,
  readTierValues,
} from './accounts-file';

interface AccountEntry<Credentials, Mode, Tier extends string, Settings> {
  credentials?: Credentials;
  recordMode?: Mode;
  fields: Record<string, FieldSource>;
  tierValues: Partial<Record<Tier, Partial<Record<LeadTier, string>>>>;
  settings: Partial<Settings>;
  limits?: CallLimits;
}

/**
 * Reads CONNECTOR_ACCOUNTS_FILE (`file`, when set: `{ "default": {...}, "accounts": { "<id>": {...} } }`)
 * and the default credentials of the app's variables. Throws one ConfigError listing every problem, never a
 * secret; also when no account can have credentials at all.
 */
export function loadConnectorAccounts<
  Credentials,
  Mode extends string,
  Tier extends string,
  Settings,
  Account,
>(
  file: string | undefined,
  spec: ConnectorAccountsSpec<Credentials, Mode, Tier, Settings, Account>,
): ConnectorAccounts<Account & { id: string }> {
  const problems: string[] = [];
  const envCredentials = spec.credentials.fromEnv((problem) => problems.push(problem));

  let fileDefaults: AccountEntry<Credentials, Mode, Tier, Settings> = emptyEntry();
  const fileAccounts = new Map<string, AccountEntry<Credentials, Mode, Tier, Settings>>();
  if (file) {
    const fileProblems = new AccountsFileProblems(file);
    const { defaults, accounts } = readAccountsFile(file, fileProblems);
    if (defaults !== undefined) fileDefaults = readEntry(defaults, 'default', fileProblems, spec);
    for (const [accountId, settings] of accounts) {
      if (accountId.trim() === '') fileProblems.add('accounts', 'account ids must not be blank');
      fileAccounts.set(accountId, readEntry(settings, `accounts.${accountId}`, fileProblems, spec));
    }
    problems.push(...fileProblems.list);
  }

  const defaultCredentials = fileDefaults.credentials ?? envCredentials;
  const anyCredentials =
    defaultCredentials !== undefined || [...fileAccounts.values()].some((entry) => entry.credentials);
  if (!anyCredentials && problems.length === 0) {
    const { env, file: inFile } = spec.credentials.missing;
    problems.push(
      `${spec.crm} credentials: none configured. Set ${env}, or give accounts ${inFile} in CONNECTOR_ACCOUNTS_FILE.`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const resolve = (entry: AccountEntry<Credentials, Mode, Tier, Settings>): Account => {
    // Limits are those of the credentials: an account without its own has the default's.
    const limits = entry.credentials ? entry.limits : fileDefaults.limits;
    return spec.account({
      credentials: entry.credentials ?? defaultCredentials,
      sharedCredentials: entry.credentials === undefined,
      recordMode: entry.recordMode ?? fileDefaults.recordMode ?? spec.recordModes.default,
      fields: { ...fileDefaults.fields, ...entry.fields },
      tierValues: mapValues(spec.mapping.tierValues, (defaults, tier) => ({
        ...defaults,
        ...fileDefaults.tierValues[tier],
        ...entry.tierValues[tier],
      })),
      settings: mapValues(
        spec.settings as Record<keyof Settings, AccountSetting<Settings[keyof Settings]>>,
        (setting, key) => entry.settings[key] ?? fileDefaults.settings[key] ?? setting.default,
      ) as Settings,
      ...(limits ? { limits } : {}),
    });
  };
  const accounts = new Map(
    [...fileAccounts].map(([accountId, entry]) => [accountId, { id: accountId, ...resolve(entry) }]),
  );
  const defaults = resolve(emptyEntry()) as Omit<Account & { id: string }, 'id'>;
  return new ConnectorAccounts(defaults, accounts);
}

function readEntry<Credentials, Mode extends string, Tier extends string, Settings>(
  value: unknown,
  path: string,
  problems: AccountsFileProblems,
  spec: ConnectorAccountsSpec<Credentials, Mode, Tier, Settings, unknown>,
): AccountEntry<Credentials, Mode, Tier, Settings> {
  const tiers = Object.keys(spec.mapping.tierValues) as Tier[];
  const settingKeys = Object.keys(spec.settings) as (keyof Settings & string)[];
  const raw =
    problems.object(value, path, ['credentials', 'recordMode', 'mapping', ...settingKeys, 'limits']) ?? {};
  const recordMode = readRecordMode(raw['recordMode'], `${path}.recordMode`, problems, spec.recordModes);
  const mapping =
    raw['mapping'] === undefined
      ? {}
      : (problems.object(raw['mapping'], `${path}.mapping`, ['fields', ...tiers]) ?? {});
  const fields = readFieldOverrides(mapping['fields'], `${path}.mapping.fields`, problems, spec.mapping);
  for (const field of Object.keys(fields)) {
    if (!spec.mapping.fieldName.pattern.test(field))
      problems.add(`${path}.mapping.fields.${field}`, spec.mapping.fieldName.problem);
  }
  const credentialsObject =
    raw['credentials'] === undefined
      ? undefined
      : problems.object(raw['credentials'], `${path}.credentials`, spec.credentials.keys);
  const credentials =
    credentialsObject && spec.credentials.fromFile(credentialsObject, `${path}.credentials`, problems);
  const settings: Partial<Settings> = {};
  for (const key of settingKeys) {
    const setting = spec.settings[key].read(raw[key], `${path}.${key}`, problems);
    if (setting !== undefined) settings[key] = setting;
  }
  const limits = readCallLimits(raw['limits'], `${path}.limits`, problems);
  if (limits && raw['credentials'] === undefined && path !== 'default') {
    problems.add(
      `${path}.limits`,
      `are the ${spec.credentialScope}'s: give them with the account's own credentials, or in default`,
    );
  }
  const tierValues: AccountEntry<Credentials, Mode, Tier, Settings>['tierValues'] = {};
  for (const tier of tiers)
    tierValues[tier] = readTierValues(mapping[tier], `${path}.mapping.${tier}`, problems);
  return {
    fields,
    tierValues,
    settings,
    ...(credentials ? { credentials } : {}),
    ...(recordMode ? { recordMode } : {}),
    ...(limits ? { limits } : {}),
  };
}

function readRecordMode<Mode extends string>(
  value: unknown,
  path: string,
  problems: AccountsFileProblems,
  { allowed, reason }: { allowed: readonly Mode[]; reason?: string },
): Mode | undefined {
  if (value === undefined || allowed.length > 1) return problems.oneOf(value, path, allowed);
  if (value === allowed[0]) return allowed[0];
  problems.add(path, `must be ${allowed[0]}${reason ? `: ${reason}` : ''}`);
  return undefined;
}

function emptyEntry<Credentials, Mode, Tier extends string, Settings>(): AccountEntry<
  Credentials,
  Mode,
  Tier,
  Settings
> {
  return { fields: {}, tierValues: {}, settings: {} };
}

function mapValues<K extends PropertyKey, V, R>(
  record: Record<K, V>,
  map: (value: V, key: K) => R,
): Record<K, R> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, map(value as V, key as K)]),
  ) as Record<K, R>;
}
