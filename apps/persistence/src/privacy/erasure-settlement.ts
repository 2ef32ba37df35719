import type { EntityManager } from 'typeorm';
import { erasureStateOf, needsClearIdentity, type PlaceStatus } from './erasure-state';

/**
 * After a place of the erasure changed: forgets the clear email and phone once no place needs them, and
 * completes the request once every place is done. Call it in the transaction that changed the place.
 */
export async function settleErasure(manager: EntityManager, erasureId: string): Promise<void> {
  const places = (await manager.query('SELECT place, state FROM erasure_places WHERE erasure_id = $1', [
    erasureId,
  ])) as PlaceStatus[];
  if (!needsClearIdentity(places)) {
    await manager.query(
      `UPDATE erasure_requests SET email = NULL, phone_e164 = NULL, phone_digits = NULL,
         identity_blanked_at = now() WHERE id = $1 AND identity_blanked_at IS NULL`,
      [erasureId],
    );
  }
  if (erasureStateOf(places) === 'completed') {
    await manager.query(
      `UPDATE erasure_requests SET state = 'completed', completed_at = now()
       WHERE id = $1 AND state <> 'completed'`,
      [erasureId],
    );
  }
}
