import type { LeadTier } from '@lead-delivery/contracts';
import type { CallLimits } from '../budget/call-budget';
import type { FieldSource } from '../mapping/field-source';
import type { AccountsFileProblems } from './accounts-file';

/** A connector-specific setting of an account (`erasure`, ...): its reader, and its value when nobody sets it. */
export interface AccountSetting<T> {
  read(value: unknown, path: string, problems: AccountsFileProblems): T | undefined;
  default: T;
}

/** A setting that is one of `allowed` values (`"erasure": "delete"`), `fallback` when unset. */
export function oneOfSetting<T extends string>(
  allowed: readonly T[],
  fallback: NoInfer<T>,
): AccountSetting<T> {
  return { read: (value, path, problems) => problems.oneOf(value, path, allowed), default: fallback };
}

/** What a connector tells the kit about its per-account settings; the kit does the rest. */
export interface ConnectorAccountsSpec<
  Credentials,
  Mode extends string,
  Tier extends string,
  Settings,
  Account,
> {
  /** The CRM's name, as the missing-credentials problem names it ("HubSpot"). */
  crm: string;
  /** What one set of credentials opens ("portal", "org"): call limits are its, not an account's. */
  credentialScope: string;
  credentials: {
    /** The keys of the file's `credentials` object. */
    keys: readonly string[];
    /** Credentials from the file's `credentials` object (its keys checked), or undefined with problems. */
    fromFile(
      raw: Record<string, unknown>,
      path: string,
      problems: AccountsFileProblems,
    ): Credentials | undefined;
    /** The default credentials from the app's variables: undefined when unset; `report` never shows a secret. */
    fromEnv(report: (problem: string) => void): Credentials | undefined;
    /** For the missing-credentials problem: the variables to set, and what an account of the file needs. */
    missing: { env: string; file: string };
  };
  /** The record modes the CRM allows (`reason` explains a single one), and the mode of accounts that set none. */
  recordModes: { allowed: readonly Mode[]; default: Mode; reason?: string };
  mapping: {
    /** Upsert keys: the connector sets them, an override cannot. */
    protectedFields: readonly string[];
    /** Fields the CRM requires: an override may replace them, not remove them. */
    requiredFields: readonly string[];
    fieldName: { pattern: RegExp; problem: string };
    /** Values per lead tier, by mapping key (`rating`), with their defaults. */
    tierValues: Record<Tier, Record<LeadTier, string>>;
  };
  settings: { [K in keyof Settings]: AccountSetting<Settings[K]> };
  /** The connector's account from the resolved settings (account over file `default` over the defaults). */
  account(resolved: ResolvedAccountSettings<Credentials, Mode, Tier, Settings>): Account;
}

export interface ResolvedAccountSettings<Credentials, Mode extends string, Tier extends string, Settings> {
  /** Undefined when neither the account nor the defaults have any: its leads wait (auth) until configured. */
  credentials: Credentials | undefined;
  /** No credentials of its own: it shares the default portal or org, whose daily limit concerns them all. */
  sharedCredentials: boolean;
  recordMode: Mode;
  /** Overrides of the connector's default mapping, by CRM field name. */
  fields: Record<string, FieldSource>;
  tierValues: Record<Tier, Record<LeadTier, string>>;
  settings: Settings;
  /** The call budget of the account's credentials, where it differs from the CRM's. */
  limits?: CallLimits;
}
