import type { EntityManager } from 'typeorm';
import type { ErasureTarget } from './erasure-target';

// The gateway shares persistence's database (one DATABASE_URL): its outbox holds leads Kafka has not
// acknowledged yet, its dead outbox those Kafka refused. A row is the person's when its lead (or the raw
// body it carries) names their email or phone; a value that is not JSON is matched on the email as text.
const PERSON_ROWS = (table: string) => `
  DELETE FROM ${table} o
  USING (SELECT id, persistence_jsonb_or_null(value) AS lead FROM ${table}
         WHERE $3::text IS NULL OR headers->>'x-account-id' = $3) parsed
  WHERE o.id = parsed.id AND (
    ($1::text IS NOT NULL AND (
      lower(trim(parsed.lead #>> '{contact,email}')) = $1
      OR lower(trim(parsed.lead #>> '{raw,contact,email}')) = $1
      OR (parsed.lead IS NULL AND strpos(lower(o.value), $1) > 0)))
    OR (cardinality($2::text[]) > 0 AND (
      regexp_replace(parsed.lead #>> '{contact,phone}', '\\D', '', 'g') = ANY($2::text[])
      OR regexp_replace(parsed.lead #>> '{raw,contact,phone}', '\\D', '', 'g') = ANY($2::text[]))))`;

const GATEWAY_TABLES = `SELECT to_regclass('gateway_outbox') IS NOT NULL AS outbox,
  to_regclass('gateway_dead_outbox') IS NOT NULL AS dead_outbox`;

/**
 * The `outbox` place: deletes the person's rows from the gateway outbox and dead outbox, so that a lead
 * held there while Kafka was down is never relayed (nor replayed) after the erasure. A table the gateway
 * has not created yet holds nothing.
 */
export async function eraseFromOutbox(
  manager: EntityManager,
  target: ErasureTarget,
): Promise<Record<string, unknown>> {
  const [tables] = (await manager.query(GATEWAY_TABLES)) as Array<{ outbox: boolean; dead_outbox: boolean }>;
  const parameters = [target.email, target.phoneDigits, target.accountId];
  const removed = async (table: string, exists: boolean | undefined) =>
    exists ? ((await manager.query(PERSON_ROWS(table), parameters)) as [unknown, number])[1] : 0;
  return {
    outbox_rows_removed: await removed('gateway_outbox', tables?.outbox),
    dead_outbox_rows_removed: await removed('gateway_dead_outbox', tables?.dead_outbox),
  };
}
