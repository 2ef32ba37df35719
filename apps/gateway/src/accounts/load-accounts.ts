import { ConfigError } from '@lead-delivery/config';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { publicKeyMismatch, type SignatureAlgorithm } from '@lead-delivery/contracts';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Account } from './account';
import { AccountsFileDto, type AccountDto } from './accounts-file.dto';

const FALLBACK_RATE_LIMIT = { requests_per_second: 50, burst: 100 };

/** A ConfigError, so startup reports it like any other configuration problem. */
export class AccountsFileError extends ConfigError {
  constructor(file: string, problems: string[]) {
    super(problems.map((problem) => `ACCOUNTS_FILE ${file}: ${problem}`));
    this.name = 'AccountsFileError';
  }
}

/** Reads and validates ACCOUNTS_FILE; every problem is reported at once, no secret is ever printed. */
export function loadAccounts(file: string): Account[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AccountsFileError(file, [(error as Error).message]);
  }
  const dto = plainToInstance(AccountsFileDto, json);
  const problems = validateSync(dto, { forbidUnknownValues: false }).flatMap((error) => describe(error, ''));
  const ids = dto.accounts?.map((account) => account.id) ?? [];
  ids
    .filter((id, index) => ids.indexOf(id) !== index)
    .forEach((id) => problems.push(`accounts: id "${id}" is used twice`));
  if (Array.isArray(dto.accounts)) problems.push(...sharedKeyHashes(dto.accounts));
  if (problems.length > 0) throw new AccountsFileError(file, problems);

  const accounts: Account[] = [];
  for (const [index, account] of dto.accounts.entries()) {
    try {
      accounts.push(toAccount(account, dto.default_rate_limit ?? FALLBACK_RATE_LIMIT));
    } catch (error) {
      problems.push(`accounts[${index}] (${account.id}).signature.public_keys${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new AccountsFileError(file, problems);
  return accounts;
}

/** A key hash listed by two accounts would authenticate as either: refused, naming the accounts, not the hash. */
function sharedKeyHashes(accounts: readonly AccountDto[]): string[] {
  const owners = new Map<string, string[]>();
  for (const account of accounts) {
    if (!Array.isArray(account.api_key_sha256)) continue; // reported by the validation
    for (const keyHash of new Set(account.api_key_sha256)) {
      owners.set(keyHash, [...(owners.get(keyHash) ?? []), account.id]);
    }
  }
  return [...owners.values()]
    .filter((ids) => ids.length > 1)
    .map((ids) => `accounts: one api_key_sha256 is listed by ${ids.map((id) => `"${id}"`).join(' and ')}`);
}

function toAccount(
  account: AccountDto,
  defaultRateLimit: { requests_per_second: number; burst: number },
): Account {
  const rateLimit = account.rate_limit ?? defaultRateLimit;
  const { mode, algorithm, secrets = [], public_keys: publicKeys = [] } = account.signature;
  return {
    id: account.id,
    enabled: account.enabled,
    apiKeyHashes: account.api_key_sha256,
    rateLimit: { requestsPerSecond: rateLimit.requests_per_second, burst: rateLimit.burst },
    signature:
      mode === 'off' || !algorithm
        ? { mode: 'off' }
        : {
            mode,
            algorithm,
            keys:
              algorithm === 'hmac-sha256'
                ? secrets
                : publicKeys.map((pem, index) => publicKeyOf(algorithm, pem, index)),
          },
  };
}

/** A PEM public key that fits the account's algorithm; anything else is refused at startup, never at intake. */
function publicKeyOf(algorithm: SignatureAlgorithm, pem: string, index: number): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new Error(`[${index}]: ${(error as Error).message}`);
  }
  const mismatch = publicKeyMismatch(algorithm, key);
  if (mismatch) throw new Error(`[${index}] ${mismatch}`);
  return key;
}

function describe(error: ValidationError, parent: string): string[] {
  const path = parent
    ? /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : `${parent}.${error.property}`
    : error.property;
  const own = Object.values(error.constraints ?? {}).map(
    (message) =>
      `${path}: ${message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message}`,
  );
  return [...own, ...(error.children ?? []).flatMap((child) => describe(child, path))];
}
