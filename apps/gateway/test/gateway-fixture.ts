import { createTestDatabase, uniqueName, type TestDatabase } from '@lead-delivery/testing';
import type { INestApplication } from '@nestjs/common';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadAccounts } from '../src/accounts/load-accounts';
import { loadGatewayConfig } from '../src/app.config';
import { createGatewayApp } from '../src/create-app';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Accounts of the integration tests, with the secrets a sender would hold. */
export function testAccounts() {
  const ed25519 = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
  const keys = {
    plain: 'key-plain-0001',
    plainRotated: 'key-plain-0002',
    hmac: 'key-hmac',
    ed25519: 'key-ed25519',
    rsa: 'key-rsa',
    optional: 'key-optional',
    disabled: 'key-disabled',
    limited: 'key-limited',
  };
  const hmacSecret = 'hmac-shared-secret-for-tests';
  const file = join(mkdtempSync(join(tmpdir(), 'gateway-accounts-')), 'accounts.json');
  writeFileSync(
    file,
    JSON.stringify({
      default_rate_limit: { requests_per_second: 10_000, burst: 10_000 },
      accounts: [
        { id: 'acct-plain', enabled: true, api_key_sha256: [sha256(keys.plain), sha256(keys.plainRotated)] },
        {
          id: 'acct-hmac',
          enabled: true,
          api_key_sha256: [sha256(keys.hmac)],
          signature: { mode: 'required', algorithm: 'hmac-sha256', secrets: ['old-secret', hmacSecret] },
        },
        {
          id: 'acct-ed25519',
          enabled: true,
          api_key_sha256: [sha256(keys.ed25519)],
          signature: { mode: 'required', algorithm: 'ed25519', public_keys: [pem(ed25519.publicKey)] },
        },
        {
          id: 'acct-rsa',
          enabled: true,
          api_key_sha256: [sha256(keys.rsa)],
          signature: { mode: 'required', algorithm: 'rsa-sha256', public_keys: [pem(rsa.publicKey)] },
        },
        {
          id: 'acct-optional',
          enabled: true,
          api_key_sha256: [sha256(keys.optional)],
          signature: { mode: 'optional', algorithm: 'hmac-sha256', secrets: [hmacSecret] },
        },
        { id: 'acct-disabled', enabled: false, api_key_sha256: [sha256(keys.disabled)] },
        {
          id: 'acct-limited',
          enabled: true,
          api_key_sha256: [sha256(keys.limited)],
          rate_limit: { requests_per_second: 0.5, burst: 2 },
        },
      ],
    }),
  );
  return { file, keys, hmacSecret, ed25519, rsa };
}

export interface RunningGateway {
  url: string;
  app: INestApplication;
  database: TestDatabase;
  post(
    body: unknown,
    options?: { apiKey?: string; contentType?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Boots the real gateway on an ephemeral port, against the test broker and a database of its own (or the
 * given one, to restart a gateway on its outbox).
 */
export async function startGateway(
  accountsFile: string,
  env: Record<string, string> = {},
  {
    waitUntilReady: wait = true,
    database: existing,
  }: { waitUntilReady?: boolean; database?: TestDatabase } = {},
): Promise<RunningGateway> {
  const database = existing ?? (await createTestDatabase('gateway'));
  const config = loadGatewayConfig({
    ...process.env,
    ACCOUNTS_FILE: accountsFile,
    DATABASE_URL: database.url,
    KAFKA_CLIENT_ID: uniqueName('gateway-test'),
    OUTBOX_RELAY_INTERVAL_MS: '200',
    ...env,
  });
  const app = await createGatewayApp(config, loadAccounts(accountsFile), pino({ level: 'silent' }));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  if (wait) await waitUntilReady(url);
  return {
    url,
    app,
    database,
    post: (body, { apiKey, contentType = 'application/json', headers = {} } = {}) =>
      fetch(`${url}/lead-delivery`, {
        method: 'POST',
        headers: { 'content-type': contentType, ...(apiKey ? { 'x-api-key': apiKey } : {}), ...headers },
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      }),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

async function waitUntilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${url}/health/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('gateway never became ready');
}
