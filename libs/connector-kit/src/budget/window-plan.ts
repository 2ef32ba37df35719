/** How a credential's calls are counted in the shared limiter: `points` calls per fixed window of `windowMs`. */
export interface WindowPlan {
  points: number;
  windowMs: number;
}

/**
 * How much later than its unit was taken a call may reach the CRM's count (a store write and the request:
 * milliseconds, tens under load), with room to spare: the plan keeps the limit over this much more time.
 */
export const COUNT_SKEW_MS = 250;

/**
 * rate-limiter-flexible counts in fixed windows, while HubSpot counts `max` calls in any rolling
 * `intervalMs`. Calls counted by the CRM within a rolling interval were taken within `intervalMs +
 * COUNT_SKEW_MS`, which meets at most ceil((intervalMs + COUNT_SKEW_MS) / windowMs) + 1 of our windows: that
 * many windows' points must fit in `max`. Of the plans that keep it, the one with the most calls per
 * second wins, the shortest window on a tie, since a call that finds its window used up waits for the
 * next: for 190 per 10 s that is **1 call per 55 ms** (18.2 per second, 96 % of the limit; a call waits at
 * most 55 ms), where 5 per 271 ms made calls wait up to 271 ms and kept the limit only for calls counted
 * within 27 ms of their unit. Windows are whole ms (the PostgreSQL store keeps expiry times as bigint).
 */
export function planWindows(max: number, intervalMs: number): WindowPlan {
  if (!(max >= 2) || !(intervalMs > 0)) {
    throw new RangeError(`a call budget needs at least 2 calls per window (got ${max} per ${intervalMs} ms)`);
  }
  const span = intervalMs + COUNT_SKEW_MS;
  let best: WindowPlan | undefined;
  for (let points = 1; points <= Math.floor(max / 2); points += 1) {
    const windowsMet = Math.floor(max / points) - 1; // the windows' points fit in max
    const windowMs = Math.ceil(span / windowsMet);
    if (!best || points * best.windowMs > best.points * windowMs) best = { points, windowMs };
  }
  return best as WindowPlan;
}
