import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { jwtBearerAssertion } from './jwt-bearer-assertion';

describe('jwtBearerAssertion', () => {
  it('is an RS256 JWT with the JWT bearer claims, verifiable with the public key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Date.UTC(2026, 0, 1);
    const assertion = jwtBearerAssertion(
      {
        clientId: 'consumer-key',
        username: 'api@acme.example',
        audience: 'https://login.salesforce.com',
        privateKey,
      },
      now,
    );
    const [header = '', payload = '', signature = ''] = assertion.split('.');
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decode(payload)).toEqual({
      iss: 'consumer-key',
      sub: 'api@acme.example',
      aud: 'https://login.salesforce.com',
      exp: now / 1000 + 180,
    });
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey(privateKey),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });
});
