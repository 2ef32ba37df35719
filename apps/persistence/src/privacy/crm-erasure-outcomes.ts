import type { CrmErasureCompletedV1 } from '@lead-delivery/contracts';
import { PermanentRecordError, decodeJson, type ConsumedRecord } from '@lead-delivery/messaging';
import type { DataSource } from 'typeorm';
import { crmPlaceOf } from './erasure-state';
import { settleErasure } from './erasure-settlement';

const MAX_ERROR_LENGTH = 500;

// The place is done once every account of its records reported `erased`.
const RECORD_ERASED = `
  UPDATE erasure_places p SET
    details = p.details || jsonb_build_object(
      'accounts_erased', COALESCE(p.details->'accounts_erased', '{}'::jsonb) || jsonb_build_object($3::text, $4::jsonb)),
    last_error = NULL
  WHERE erasure_id = $1 AND place = $2 AND state = 'pending'
  RETURNING (SELECT count(DISTINCT r->>'account_id') FROM jsonb_array_elements(p.details->'records') r) AS accounts,
    (SELECT count(*) FROM jsonb_object_keys(p.details->'accounts_erased')) AS erased`;
const MARK_DONE = `
  UPDATE erasure_places SET state = 'done', done_at = now(), attempts = attempts + 1
  WHERE erasure_id = $1 AND place = $2`;
const RECORD_REJECTED = `
  UPDATE erasure_places SET attempts = attempts + 1, last_error = $3
  WHERE erasure_id = $1 AND place = $2 AND state = 'pending'`;

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

function decodeOutcome(record: ConsumedRecord): CrmErasureCompletedV1 {
  const value = decodeJson<Partial<CrmErasureCompletedV1>>(record);
  const { erasure_id, destination, account_id, outcome } = value ?? {};
  if (!isText(erasure_id) || !isText(destination) || !isText(account_id)) {
    throw new PermanentRecordError(record, 'erasure_id, destination or account_id is missing');
  }
  if (outcome !== 'erased' && outcome !== 'rejected') {
    throw new PermanentRecordError(record, '/outcome is not erased or rejected');
  }
  return value as CrmErasureCompletedV1;
}

/**
 * Completes CRM places from the connectors' outcomes (`crm.erasure-completed.v1`): an account `erased`
 * is recorded in the place's details with what the connector reports; the place is done once every
 * account of its records is, and the erasure completes with its last place. A `rejected` outcome keeps
 * the place pending with the CRM's reason as its last error (the request is in the connector's DLQ,
 * for an operator to replay once the cause is fixed). Outcomes of unknown or finished places change nothing.
 */
export class CrmErasureOutcomes {
  constructor(private readonly dataSource: DataSource) {}

  async record(records: ConsumedRecord[]): Promise<void> {
    for (const record of records) {
      const outcome = decodeOutcome(record);
      const place = crmPlaceOf(outcome.destination);
      await this.dataSource.transaction(async (manager) => {
        if (outcome.outcome === 'rejected') {
          const error = `${outcome.error ?? 'refused by the CRM'}`.slice(0, MAX_ERROR_LENGTH);
          await manager.query(RECORD_REJECTED, [outcome.erasure_id, place, error]);
          return;
        }
        const report = { method: outcome.method, counts: outcome.counts ?? {}, at: outcome.occurred_at };
        const [rows] = (await manager.query(RECORD_ERASED, [
          outcome.erasure_id,
          place,
          outcome.account_id,
          JSON.stringify(report),
        ])) as [Array<{ accounts: string; erased: string }>, number];
        const progress = rows?.[0];
        if (!progress || Number(progress.erased) < Number(progress.accounts)) return;
        await manager.query(MARK_DONE, [outcome.erasure_id, place]);
        await settleErasure(manager, outcome.erasure_id);
      });
    }
  }
}
