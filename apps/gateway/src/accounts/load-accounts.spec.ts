import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountDirectory } from './account-directory';
import { AccountsFileError, loadAccounts } from './load-accounts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'accounts-'));
function accountsFile(content: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('loadAccounts', () => {
  it('loads accounts with defaults and parses public keys', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const accounts = loadAccounts(
      accountsFile({
        default_rate_limit: { requests_per_second: 5, burst: 10 },
        accounts: [
          { id: 'austin', enabled: true, api_key_sha256: [sha256('k1')] },
          {
            id: 'dallas',
            enabled: false,
            api_key_sha256: [sha256('k2')],
            signature: {
              mode: 'required',
              algorithm: 'ed25519',
              public_keys: [publicKey.export({ type: 'spki', format: 'pem' })],
            },
            rate_limit: { requests_per_second: 1, burst: 1 },
          },
        ],
      }),
    );
    expect(accounts.map((account) => [account.id, account.enabled, account.rateLimit])).toEqual([
      ['austin', true, { requestsPerSecond: 5, burst: 10 }],
      ['dallas', false, { requestsPerSecond: 1, burst: 1 }],
    ]);
    expect(accounts[0]?.signature).toEqual({ mode: 'off' });
    expect(accounts[1]?.signature).toMatchObject({ mode: 'required', algorithm: 'ed25519' });
  });

  it('reports every problem at once, by path, without printing secrets', () => {
    const file = accountsFile({
      accounts: [
        { id: 'Bad Id', enabled: 'yes', api_key_sha256: ['plain-text-key'] },
        {
          id: 'hmac',
          enabled: true,
          api_key_sha256: [sha256('k')],
          signature: { mode: 'required', algorithm: 'hmac-sha256' },
        },
        {
          id: 'rsa',
          enabled: true,
          api_key_sha256: [sha256('k3')],
          signature: { mode: 'required', algorithm: 'rsa-sha256', public_keys: ['not a pem'] },
        },
        { id: 'hmac', enabled: true, api_key_sha256: [sha256('k4')] },
      ],
    });
    let error: AccountsFileError | undefined;
    try {
      loadAccounts(file);
    } catch (caught) {
      error = caught as AccountsFileError;
    }
    expect(error).toBeInstanceOf(AccountsFileError);
    const problems = error?.problems.join('\n') ?? '';
    expect(problems).toMatch(/accounts\[0\]\.id: must be a lowercase id/);
    expect(problems).toMatch(/accounts\[0\]\.enabled: must be a boolean/);
    expect(problems).toMatch(/accounts\[0\]\.api_key_sha256: each key must be a SHA-256 hex digest/);
    expect(problems).toMatch(/accounts\[1\]\.signature\.secrets/);
    expect(problems).toMatch(/id "hmac" is used twice/);
    expect(problems).not.toContain('plain-text-key');
  });

  it('refuses at startup a public key whose type does not match the algorithm', () => {
    const pem = (type: 'ed25519' | 'rsa') =>
      (type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 1024 })
        : generateKeyPairSync('ed25519')
      ).publicKey
        .export({ type: 'spki', format: 'pem' })
        .toString();
    const file = accountsFile({
      accounts: [
        {
          id: 'ed',
          enabled: true,
          api_key_sha256: [sha256('k1')],
          signature: { mode: 'required', algorithm: 'ed25519', public_keys: [pem('ed25519'), pem('rsa')] },
        },
        {
          id: 'rsa',
          enabled: true,
          api_key_sha256: [sha256('k2')],
          signature: { mode: 'optional', algorithm: 'rsa-sha256', public_keys: [pem('ed25519')] },
        },
      ],
    });
    expect(() => loadAccounts(file)).toThrow(AccountsFileError);
    expect(() => loadAccounts(file)).toThrow(
      /accounts\[0\] \(ed\)\.signature\.public_keys\[1\] has key type rsa; ed25519 needs key type ed25519/,
    );
    expect(() => loadAccounts(file)).toThrow(
      /accounts\[1\] \(rsa\)\.signature\.public_keys\[0\] has key type ed25519/,
    );
  });

  it('refuses a key hash listed by two accounts, without printing it', () => {
    const shared = sha256('shared');
    const load = () =>
      loadAccounts(
        accountsFile({
          accounts: [
            { id: 'a', enabled: true, api_key_sha256: [shared, shared] },
            { id: 'b', enabled: true, api_key_sha256: [sha256('b')] },
            { id: 'c', enabled: true, api_key_sha256: [sha256('c'), shared] },
          ],
        }),
      );
    expect(load).toThrow(/one api_key_sha256 is listed by "a" and "c"/);
    expect(load).not.toThrow(new RegExp(shared));
  });

  it('explains a file that is not JSON', () => {
    expect(() => loadAccounts(accountsFile('{ accounts: '))).toThrow(/ACCOUNTS_FILE .*JSON/);
  });
});

describe('AccountDirectory', () => {
  const directory = new AccountDirectory(
    loadAccounts(
      accountsFile({
        accounts: [
          { id: 'a', enabled: true, api_key_sha256: [sha256('current'), sha256('previous')] },
          { id: 'b', enabled: true, api_key_sha256: [sha256('other')] },
        ],
      }),
    ),
  );

  it('finds an account by any of its keys (rotation)', () => {
    expect(directory.findByApiKey('current')?.id).toBe('a');
    expect(directory.findByApiKey('previous')?.id).toBe('a');
    expect(directory.findByApiKey('other')?.id).toBe('b');
  });

  it('finds each of many accounts by its own key', () => {
    const many = new AccountDirectory(
      loadAccounts(
        accountsFile({
          accounts: Array.from({ length: 500 }, (_, index) => ({
            id: `account-${index}`,
            enabled: true,
            api_key_sha256: [sha256(`key-${index}`)],
          })),
        }),
      ),
    );
    for (const index of [0, 1, 250, 499])
      expect(many.findByApiKey(`key-${index}`)?.id).toBe(`account-${index}`);
    expect(many.findByApiKey('key-500')).toBeUndefined();
  });

  it('finds nothing for an unknown key, a prefix or a hash', () => {
    expect(directory.findByApiKey('curren')).toBeUndefined();
    expect(directory.findByApiKey(sha256('current'))).toBeUndefined();
    expect(directory.findByApiKey('')).toBeUndefined();
  });
});
