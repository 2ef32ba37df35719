import type { CrmErasureRequestedV1 } from '@lead-delivery/contracts';
import { PermanentRecordError, decodeJson, type ConsumedRecord } from '@lead-delivery/messaging';
import type { ErasureCommand } from './crm-eraser';

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** A consumed erasure request, checked; PermanentRecordError names what is wrong. */
export function decodeErasureRequest(record: ConsumedRecord): {
  destination: string;
  command: ErasureCommand;
} {
  const value = decodeJson<Partial<CrmErasureRequestedV1>>(record);
  const fail = (reason: string) => new PermanentRecordError(record, reason);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail('value is not an object');
  const { erasure_id, destination, account_id, records } = value;
  if (!isText(erasure_id)) throw fail('/erasure_id is missing');
  if (!isText(destination)) throw fail('/destination is missing');
  if (!isText(account_id)) throw fail('/account_id is missing');
  if (!Array.isArray(records)) throw fail('/records is not a list');
  const targets = records.map((item: unknown, index) => {
    const { lead_id, crm_record_id } = (item ?? {}) as Record<string, unknown>;
    if (!isText(lead_id)) throw fail(`/records/${index}/lead_id is missing`);
    if (crm_record_id !== null && crm_record_id !== undefined && !isText(crm_record_id)) {
      throw fail(`/records/${index}/crm_record_id is not a string`);
    }
    return { leadId: lead_id, crmRecordId: crm_record_id ?? null };
  });
  return { destination, command: { erasureId: erasure_id, accountId: account_id, records: targets } };
}
