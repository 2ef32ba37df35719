import type { IdentitySuppressedV1 } from '@lead-delivery/contracts';
import { PermanentRecordError, decodeJson, type ConsumedRecord } from '@lead-delivery/messaging';

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** A consumed `identities.suppressed.v1` record, checked; PermanentRecordError names what is wrong. */
export function decodeSuppression(record: ConsumedRecord): IdentitySuppressedV1 {
  const value = decodeJson<Partial<IdentitySuppressedV1>>(record);
  const fail = (reason: string) => new PermanentRecordError(record, reason);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail('value is not an object');
  const { identity_hash, kind, account_id, erasure_id, suppressed_until } = value;
  if (!isText(identity_hash)) throw fail('/identity_hash is missing');
  if (kind !== 'email' && kind !== 'phone') throw fail('/kind is neither email nor phone');
  if (account_id !== null && !isText(account_id)) throw fail('/account_id is neither an account nor null');
  if (!isText(erasure_id)) throw fail('/erasure_id is missing');
  if (!isText(suppressed_until) || Number.isNaN(Date.parse(suppressed_until))) {
    throw fail('/suppressed_until is not a date');
  }
  return { identity_hash, kind, account_id, erasure_id, suppressed_until };
}
