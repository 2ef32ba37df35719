import type { AccountsFileProblems } from '../accounts/accounts-file';
import type { CallLimits } from './call-budget';

const KEYS = ['callsPerWindow', 'windowMs', 'dailyLimit'] as const;

/**
 * An account's `limits` in CONNECTOR_ACCOUNTS_FILE: `{ "callsPerWindow": 150, "windowMs": 10000,
 * "dailyLimit": 300000 }`, each optional. They apply to the account's credential (its portal or org).
 */
export function readCallLimits(
  value: unknown,
  path: string,
  problems: AccountsFileProblems,
): CallLimits | undefined {
  if (value === undefined) return undefined;
  const raw = problems.object(value, path, KEYS);
  if (!raw) return undefined;
  const limits: CallLimits = {};
  for (const key of KEYS) {
    const setting = raw[key];
    if (setting === undefined) continue;
    const least = key === 'callsPerWindow' ? 2 : 1;
    if (typeof setting === 'number' && Number.isInteger(setting) && setting >= least) limits[key] = setting;
    else problems.add(`${path}.${key}`, `must be an integer of at least ${least}`);
  }
  return limits;
}
