/**
 * An erasure is done place by place: `postgres` (leads, people, deliveries, timeline), `outbox` (the
 * gateway's outbox and dead outbox) and one `crm:<destination>` per CRM the person's leads were routed
 * to. The worker acts on the automated places; a CRM place is carried out by its connector (asked through
 * Kafka, see CrmErasureRequester) and done when the connector reports it (CrmErasureOutcomes).
 */
export const AUTOMATED_PLACES = ['postgres', 'outbox'] as const;
export type AutomatedPlace = (typeof AUTOMATED_PLACES)[number];

export type PlaceState = 'pending' | 'done';
export type ErasureState = 'in_progress' | 'completed';

export interface PlaceStatus {
  place: string;
  state: PlaceState;
}

export const CRM_PLACE_PREFIX = 'crm:';
export const crmPlaceOf = (destination: string) => `${CRM_PLACE_PREFIX}${destination}`;

/** Completed once every place is done. */
export function erasureStateOf(places: readonly PlaceStatus[]): ErasureState {
  return places.every((place) => place.state === 'done') ? 'completed' : 'in_progress';
}

/**
 * Whether the clear email and phone are still needed: the automated places search by them. Once they are
 * done, only the keyed hashes (and the CRM record ids of the CRM places) remain.
 */
export function needsClearIdentity(places: readonly PlaceStatus[]): boolean {
  return places.some(
    (place) => (AUTOMATED_PLACES as readonly string[]).includes(place.place) && place.state === 'pending',
  );
}

/** Wait before the next attempt at a failed place: doubling from 1 s, capped, with full jitter. */
export function retryDelayMs(
  attempts: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, 1_000 * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
