import canonicalize from 'canonicalize';
import { createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/**
 * `digital_signature` of a lead: computed over the RFC 8785 (JCS) canonical JSON of the body without its
 * `digital_signature` field, so whitespace, key order and number formatting do not matter.
 * HMAC-SHA256 uses a shared secret; Ed25519 and RSA-SHA256 (PKCS#1 v1.5) a key pair. Signatures are base64.
 */
export type SignatureAlgorithm = 'hmac-sha256' | 'ed25519' | 'rsa-sha256';
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ['hmac-sha256', 'ed25519', 'rsa-sha256'];

/** The bytes that are signed: canonical JSON of the body without `digital_signature`. */
export function signedBytesOf(body: Record<string, unknown>): Buffer {
  const { digital_signature: _signature, ...unsigned } = body;
  const canonical = canonicalize(unsigned);
  if (canonical === undefined) throw new Error('body cannot be canonicalised');
  return Buffer.from(canonical, 'utf8');
}

/** Signs a lead body; `key` is the shared secret (HMAC) or the private key (Ed25519, RSA). */
export function signLead(
  body: Record<string, unknown>,
  algorithm: SignatureAlgorithm,
  key: string | Buffer | KeyObject,
): string {
  const bytes = signedBytesOf(body);
  switch (algorithm) {
    case 'hmac-sha256':
      return createHmac('sha256', key as string | Buffer)
        .update(bytes)
        .digest('base64');
    case 'ed25519':
      return sign(null, bytes, key).toString('base64');
    case 'rsa-sha256':
      return sign('sha256', bytes, key).toString('base64');
  }
}

/**
 * True when `signature` (base64 or base64url) is valid for the body under any of `keys` (several keys
 * allow rotation). Shared secrets are compared in constant time.
 */
export function verifyLeadSignature(
  body: Record<string, unknown>,
  signature: string,
  algorithm: SignatureAlgorithm,
  keys: ReadonlyArray<string | Buffer | KeyObject>,
): boolean {
  const presented = Buffer.from(signature, 'base64');
  if (presented.length === 0) return false;
  const bytes = signedBytesOf(body);
  return keys.some((key) => {
    switch (algorithm) {
      case 'hmac-sha256': {
        const expected = createHmac('sha256', key as string | Buffer)
          .update(bytes)
          .digest();
        return expected.length === presented.length && timingSafeEqual(expected, presented);
      }
      case 'ed25519':
        return verify(null, bytes, key, presented);
      case 'rsa-sha256':
        return verify('sha256', bytes, key, presented);
    }
  });
}
