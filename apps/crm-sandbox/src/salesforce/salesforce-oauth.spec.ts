import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  SF_CLIENT_ID,
  SF_CLIENT_SECRET,
  SF_ORG_ID,
  startTestSandbox,
  type TestSandbox,
} from '../test-support/sandbox';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function jwt(claims: Record<string, unknown>, key: KeyObject, alg = 'RS256'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: SF_CLIENT_ID,
  sub: 'integration@example.com',
  aud: 'https://login.salesforce.com',
  exp: Math.floor(Date.now() / 1000) + 180,
  ...overrides,
});

describe('Salesforce token endpoint', () => {
  const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let sandbox: TestSandbox;

  beforeAll(async () => {
    const publicKey = signer.publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString()
      .replace(/\n/g, '\\n');
    sandbox = await startTestSandbox({ SALESFORCE_JWT_PUBLIC_KEY: publicKey });
  });
  afterAll(() => sandbox.close());

  it('issues a token for client credentials, shaped as Salesforce does (no refresh token, no expiry)', async () => {
    const { status, body } = await sandbox.call('POST', '/services/oauth2/token', {
      form: { grant_type: 'client_credentials', client_id: SF_CLIENT_ID, client_secret: SF_CLIENT_SECRET },
    });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(
      ['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type'].sort(),
    );
    expect(body).toMatchObject({ token_type: 'Bearer', instance_url: sandbox.url });
    expect(body.id).toMatch(
      new RegExp(`^https://login\\.salesforce\\.com/id/${SF_ORG_ID}/005[A-Za-z0-9]{15}$`),
    );
    expect(body.access_token.startsWith(`${SF_ORG_ID.slice(0, 15)}!`)).toBe(true);
    expect(body.signature).toBe(
      createHmac('sha256', SF_CLIENT_SECRET)
        .update(body.id + body.issued_at)
        .digest('base64'),
    );
  });

  it('takes client credentials from HTTP Basic authentication too', async () => {
    const basic = Buffer.from(`${SF_CLIENT_ID}:${SF_CLIENT_SECRET}`).toString('base64');
    const { status } = await sandbox.call('POST', '/services/oauth2/token', {
      form: { grant_type: 'client_credentials' },
      headers: { Authorization: `Basic ${basic}` },
    });
    expect(status).toBe(200);
  });

  it.each([
    [
      { client_id: 'nobody', client_secret: SF_CLIENT_SECRET },
      'invalid_client_id',
      'client identifier invalid',
    ],
    [{ client_id: SF_CLIENT_ID, client_secret: 'wrong' }, 'invalid_client', 'invalid client credentials'],
  ])('refuses bad client credentials %j with 400 %s', async (credentials, error, description) => {
    const { status, body } = await sandbox.call('POST', '/services/oauth2/token', {
      form: { grant_type: 'client_credentials', ...credentials },
    });
    expect(status).toBe(400);
    expect(body).toEqual({ error, error_description: description });
  });

  it('refuses other grant types, including a JSON body it cannot read as a form', async () => {
    for (const options of [
      { form: { grant_type: 'password', username: 'u', password: 'p' } },
      { json: { grant_type: 'client_credentials' } },
    ]) {
      const { status, body } = await sandbox.call('POST', '/services/oauth2/token', options);
      expect(status).toBe(400);
      expect(body).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'grant type not supported',
      });
    }
  });

  it('issues a token for a JWT-bearer assertion signed with the configured key', async () => {
    const { status, body } = await sandbox.call('POST', '/services/oauth2/token', {
      form: { grant_type: JWT_BEARER, assertion: jwt(claims(), signer.privateKey) },
    });
    expect(status).toBe(200);
    expect(body.id).toContain(SF_ORG_ID);
    const api = await sandbox.call('GET', '/services/data/v62.0/limits', { token: body.access_token });
    expect(api.status).toBe(200);
  });

  it.each([
    ['signed with another key', jwt(claims(), stranger.privateKey), 'invalid_grant', 'invalid assertion'],
    [
      'expired',
      jwt(claims({ exp: Math.floor(Date.now() / 1000) - 10 }), signer.privateKey),
      'invalid_grant',
      'expired authorization code',
    ],
    [
      'for another audience',
      jwt(claims({ aud: 'https://example.com' }), signer.privateKey),
      'invalid_grant',
      'audience is invalid',
    ],
    [
      'from an unknown client',
      jwt(claims({ iss: 'nobody' }), signer.privateKey),
      'invalid_client_id',
      'client identifier invalid',
    ],
    ['not a JWT', 'not-a-jwt', 'invalid_grant', 'invalid assertion'],
  ])('refuses an assertion %s', async (_case, assertion, error, description) => {
    const { status, body } = await sandbox.call('POST', '/services/oauth2/token', {
      form: { grant_type: JWT_BEARER, assertion },
    });
    expect(status).toBe(400);
    expect(body).toEqual({ error, error_description: description });
  });

  it('accepts any well-formed assertion of a known client when no key is configured', async () => {
    const keyless = await startTestSandbox();
    try {
      const { status } = await keyless.call('POST', '/services/oauth2/token', {
        form: { grant_type: JWT_BEARER, assertion: jwt(claims(), stranger.privateKey) },
      });
      expect(status).toBe(200);
    } finally {
      await keyless.close();
    }
  });
});

describe('Salesforce sessions', () => {
  it('expire after the configured inactivity', async () => {
    const sandbox = await startTestSandbox({ SALESFORCE_SESSION_TIMEOUT_SECONDS: '1' });
    try {
      const token = await sandbox.salesforceToken();
      expect((await sandbox.call('GET', '/services/data/v62.0/limits', { token })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const expired = await sandbox.call('GET', '/services/data/v62.0/limits', { token });
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    } finally {
      await sandbox.close();
    }
  });
});
