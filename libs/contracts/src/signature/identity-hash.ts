import { createHmac } from 'node:crypto';

/**
 * The keyed hash of an erased identity (HMAC-SHA256, hex) that erasure records and suppression compare:
 * persistence records it, connectors hash each lead's email and phone the same way. `email` is the
 * lower-case, trimmed address; `phone` the E.164 number. The key keeps the hash from being reversed by
 * hashing every address of a list.
 */
export function identityHash(key: string, kind: 'email' | 'phone', value: string): string {
  return createHmac('sha256', key).update(`${kind}:${value}`, 'utf8').digest('hex');
}
