import { sign, type KeyObject } from 'node:crypto';

export interface JwtBearerClaims {
  /** The connected app's consumer key. */
  clientId: string;
  /** The Salesforce user the token acts as. */
  username: string;
  /** https://login.salesforce.com, or https://test.salesforce.com for a sandbox org. */
  audience: string;
  privateKey: KeyObject;
}

const LIFETIME_SECONDS = 180;
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * The RS256-signed assertion of the OAuth 2.0 JWT bearer flow (RFC 7523), signed with node:crypto:
 * `jose` is ESM-only and does not load under this repository's CommonJS test runner.
 */
export function jwtBearerAssertion(claims: JwtBearerClaims, now = Date.now()): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: claims.clientId,
      sub: claims.username,
      aud: claims.audience,
      exp: Math.floor(now / 1000) + LIFETIME_SECONDS,
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), claims.privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}
