import { LEAD_TIERS, type LeadTier } from '@lead-delivery/contracts';
import { readFileSync } from 'node:fs';
import { fieldSourceProblem, type FieldSource } from '../mapping/field-source';

/** A connector's per-account settings, resolved against its defaults (file `default`, then its env). */
export class ConnectorAccounts<Account extends { id: string }> {
  constructor(
    private readonly defaults: Omit<Account, 'id'>,
    private readonly accounts: ReadonlyMap<string, Account>,
  ) {}

  of(accountId: string): Account {
    return this.accounts.get(accountId) ?? ({ id: accountId, ...this.defaults } as Account);
  }

  get configured(): string[] {
    return [...this.accounts.keys()];
  }
}

/** Every problem of CONNECTOR_ACCOUNTS_FILE, each with the JSON path it is about; never a secret's value. */
export class AccountsFileProblems {
  readonly list: string[] = [];

  constructor(private readonly file: string) {}

  add(path: string, problem: string): void {
    this.list.push(`CONNECTOR_ACCOUNTS_FILE (${this.file}): ${path || '(top level)'}: ${problem}`);
  }

  /** The object at `path` (unknown keys are problems), or undefined with a problem. */
  object(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> | undefined {
    if (!isObject(value)) {
      this.add(path, 'must be an object');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key))
        this.add(path ? `${path}.${key}` : key, `is not a known setting (expected ${keys.join(', ')})`);
    }
    return value;
  }

  /** A non-blank string, or undefined (with a problem unless the value is absent and optional). */
  text(value: unknown, path: string, { optional = false } = {}): string | undefined {
    if (value === undefined && optional) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    this.add(path, 'must be a non-blank string');
    return undefined;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (allowed.includes(value as T)) return value as T;
    this.add(path, `must be one of ${allowed.join(', ')}`);
    return undefined;
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{ "default": {...}, "accounts": { "<account id>": {...} } }`, read from disk. */
export function readAccountsFile(
  file: string,
  problems: AccountsFileProblems,
): { defaults: unknown; accounts: [string, unknown][] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.add('', `cannot be read as JSON: ${(error as Error).message}`);
    return { defaults: undefined, accounts: [] };
  }
  const root = problems.object(json, '', ['default', 'accounts']);
  const accounts = root?.['accounts'];
  if (accounts !== undefined && !isObject(accounts))
    problems.add('accounts', 'must be an object of account id → settings');
  return { defaults: root?.['default'], accounts: isObject(accounts) ? Object.entries(accounts) : [] };
}

/** Field overrides by CRM field name; `protectedFields` (upsert keys) cannot be overridden. */
export function readFieldOverrides(
  value: unknown,
  path: string,
  problems: AccountsFileProblems,
  rules: { protectedFields: readonly string[]; requiredFields: readonly string[] },
): Record<string, FieldSource> {
  if (value === undefined) return {};
  if (!isObject(value)) {
    problems.add(path, 'must be an object of CRM field → source');
    return {};
  }
  const fields: Record<string, FieldSource> = {};
  for (const [field, source] of Object.entries(value)) {
    const where = `${path}.${field}`;
    const problem = fieldSourceProblem(source);
    if (problem) problems.add(where, problem);
    else if (rules.protectedFields.some((name) => name.toLowerCase() === field.toLowerCase()))
      problems.add(where, 'is the upsert key, which the connector sets');
    else if (source === null && rules.requiredFields.includes(field))
      problems.add(where, 'is required by the CRM: it can be replaced, not removed');
    else fields[field] = source as FieldSource;
  }
  return fields;
}

/** A value per tier (`{ "hot": "Hot", "warm": "Warm", "cold": "Cold" }`); missing tiers keep their default. */
export function readTierValues(
  value: unknown,
  path: string,
  problems: AccountsFileProblems,
): Partial<Record<LeadTier, string>> {
  const tiers = value === undefined ? {} : problems.object(value, path, LEAD_TIERS);
  const result: Partial<Record<LeadTier, string>> = {};
  for (const tier of LEAD_TIERS) {
    const text = problems.text(tiers?.[tier], `${path}.${tier}`, { optional: true });
    if (text !== undefined) result[tier] = text;
  }
  return result;
}
