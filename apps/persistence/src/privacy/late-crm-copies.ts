import type { QueryRunner } from 'typeorm';
import type { DeliveryEvent } from '../ingest/stored-event.types';
import { CRM_PLACE_PREFIX } from './erasure-state';

// A CRM place whose records name the lead, with another CRM record id than the one just delivered (a
// replayed delivery event finds the id already there and reopens nothing), is pending again with that id
// and asked for anew (requested_at and the accounts already erased are forgotten: erasing is idempotent);
// its erasure is in progress again.
const REOPEN_CRM_PLACES = `
  WITH late AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS l(account_id text, lead_id text, destination text, crm_record_id text)
  ),
  reopened AS (
    UPDATE erasure_places p SET
      state = 'pending',
      done_at = NULL,
      details = (p.details - 'requested_at' - 'accounts_erased') || jsonb_build_object('records', (
        SELECT jsonb_agg(CASE
          WHEN r->>'account_id' = l.account_id AND r->>'lead_id' = l.lead_id
            THEN r || jsonb_build_object('crm_record_id', l.crm_record_id)
          ELSE r END)
        FROM jsonb_array_elements(p.details->'records') r))
    FROM late l
    WHERE p.place = $2 || l.destination
      AND EXISTS (
        SELECT 1 FROM jsonb_array_elements(p.details->'records') r
        WHERE r->>'account_id' = l.account_id AND r->>'lead_id' = l.lead_id
          AND r->>'crm_record_id' IS DISTINCT FROM l.crm_record_id)
    RETURNING p.erasure_id
  )
  UPDATE erasure_requests SET state = 'in_progress', completed_at = NULL
  WHERE id IN (SELECT erasure_id FROM reopened)`;

/**
 * A lead already in a connector's call when its person was erased can reach the CRM after the erasure
 * ran: its `delivered` event then names a CRM record the erasure never saw. The erasure's CRM place is
 * reopened with that record, so the connector erases it too. Runs in the transaction of the delivery batch,
 * which holds the erasure lock.
 */
export async function reopenErasuresOfLateCopies(
  runner: QueryRunner,
  deliveries: DeliveryEvent[],
  isErased: (delivery: DeliveryEvent) => boolean,
): Promise<void> {
  const late = deliveries
    .filter((delivery) => delivery.outcome === 'delivered' && delivery.crm_record_id && isErased(delivery))
    .map(({ account_id, lead_id, destination, crm_record_id }) => ({
      account_id,
      lead_id,
      destination,
      crm_record_id,
    }));
  if (late.length > 0) await runner.query(REOPEN_CRM_PLACES, [JSON.stringify(late), CRM_PLACE_PREFIX]);
}
