import canonicalize from 'canonicalize';
import { createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { jsonPointer } from '../parse-lead/field-issues';

/**
 * `digital_signature` of a lead: computed over the RFC 8785 (JCS) canonical JSON of the body without its
 * `digital_signature` field, so whitespace, key order and number formatting do not matter.
 * HMAC-SHA256 uses a shared secret; Ed25519 and RSA-SHA256 (PKCS#1 v1.5) a key pair. Signatures are base64.
 */
export type SignatureAlgorithm = 'hmac-sha256' | 'ed25519' | 'rsa-sha256';
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ['hmac-sha256', 'ed25519', 'rsa-sha256'];

const PUBLIC_KEY_TYPES: Record<Exclude<SignatureAlgorithm, 'hmac-sha256'>, string> = {
  ed25519: 'ed25519',
  'rsa-sha256': 'rsa',
};

/**
 * Why `key` cannot verify `algorithm` signatures (an RSA key on an Ed25519 account...), or undefined when
 * it can. Check keys when they are loaded: node:crypto throws when it verifies with a key of another type.
 */
export function publicKeyMismatch(algorithm: SignatureAlgorithm, key: KeyObject): string | undefined {
  if (algorithm === 'hmac-sha256') return 'hmac-sha256 takes shared secrets, not public keys';
  const expected = PUBLIC_KEY_TYPES[algorithm];
  if (key.type !== 'public') return `must be a public key, got a ${key.type} key`;
  return key.asymmetricKeyType === expected
    ? undefined
    : `has key type ${key.asymmetricKeyType ?? 'unknown'}; ${algorithm} needs key type ${expected}`;
}

/** A body that has no RFC 8785 canonical form, so no signature over it can be made or checked. */
export class UncanonicalizableBodyError extends Error {
  constructor(
    /** JSON pointer of the offending value ('' for the body as a whole). */
    readonly pointer: string,
    readonly reason: string,
  ) {
    super(`${pointer || 'the body'} ${reason}`);
    this.name = 'UncanonicalizableBodyError';
  }
}

/**
 * The bytes that are signed: canonical JSON of the body without `digital_signature`. Throws
 * UncanonicalizableBodyError for a number JSON.parse could not hold (`1e400` is Infinity; RFC 8785 knows
 * IEEE 754 doubles only) and for a body too deeply nested to serialise.
 */
export function signedBytesOf(body: Record<string, unknown>): Buffer {
  const { digital_signature: _signature, ...unsigned } = body;
  const outOfRange = findNonFiniteNumber(unsigned);
  if (outOfRange !== undefined) {
    throw new UncanonicalizableBodyError(outOfRange, 'is a number outside the range of IEEE 754 doubles');
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalize(unsigned);
  } catch (error) {
    if (error instanceof RangeError) throw new UncanonicalizableBodyError('', 'is nested too deeply');
    throw error;
  }
  if (canonical === undefined) throw new UncanonicalizableBodyError('', 'has no JSON form');
  return Buffer.from(canonical, 'utf8');
}

/** Pointer of a NaN or ±Infinity in a parsed JSON value (the first found), walked without recursion. */
function findNonFiniteNumber(root: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[root, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, pointer] = next;
    if (typeof value === 'number' && !Number.isFinite(value)) return pointer;
    if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) pending.push([child, jsonPointer(pointer, key)]);
    }
  }
  return undefined;
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
