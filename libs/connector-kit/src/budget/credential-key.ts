import { createHash } from 'node:crypto';

/**
 * A stable, non-reversible name of a credential (e.g. a portal's token and base URL): 16 hex characters of
 * its SHA-256, safe for a shared store's keys and for metric labels.
 */
export function credentialKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
