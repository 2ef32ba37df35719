import { X509Certificate, createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/** Why an assertion was refused, worded as Salesforce's token endpoint words it. */
export class AssertionError extends Error {}

/** The key from SALESFORCE_JWT_PUBLIC_KEY: a PEM public key or X.509 certificate, `\n` escapes allowed. */
export function jwtVerificationKey(pem: string): KeyObject {
  const text = pem.replace(/\\n/g, '\n');
  return text.includes('BEGIN CERTIFICATE') ? new X509Certificate(text).publicKey : createPublicKey(text);
}

/**
 * Reads a JWT-bearer assertion: three base64url parts, RS256, claims iss/sub/aud/exp. Checks the signature
 * when a key is given. Salesforce answers every failure here with `invalid_grant`.
 */
export function readAssertion(assertion: string, key: KeyObject | undefined, now: number): JwtClaims {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw new AssertionError('invalid assertion');
  const [headerPart = '', claimsPart = '', signaturePart = ''] = parts;
  const header = decodeJson(headerPart);
  const claims = decodeJson(claimsPart) as JwtClaims;
  if (header['alg'] !== 'RS256') throw new AssertionError('invalid assertion');
  if (
    key &&
    !verify(
      'RSA-SHA256',
      Buffer.from(`${headerPart}.${claimsPart}`),
      key,
      Buffer.from(signaturePart, 'base64url'),
    )
  ) {
    throw new AssertionError('invalid assertion');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now)
    throw new AssertionError('expired authorization code');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new AssertionError('invalid assertion');
  return claims;
}

function decodeJson(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new AssertionError('invalid assertion');
}
