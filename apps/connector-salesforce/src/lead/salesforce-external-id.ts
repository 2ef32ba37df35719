import { createHash } from 'node:crypto';

/** A text External ID field holds at most 255 characters; a longer value is refused (STRING_TOO_LONG). */
export const EXTERNAL_ID_MAX_LENGTH = 255;

/**
 * The upsert key of a Lead: the account and its lead id (or person key), so that two accounts sharing an
 * org keep a Lead each (`acct-austin:L-123`). Account ids have no colon, so the key names exactly one
 * account. A value too long for the field is replaced by its SHA-256, keeping the key deterministic, so a
 * redelivery still finds its Lead.
 */
export function salesforceExternalId(accountId: string, value: string): string {
  const key = `${accountId}:${value}`;
  if (key.length <= EXTERNAL_ID_MAX_LENGTH) return key;
  return `${accountId}:sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}
