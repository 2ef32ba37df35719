/** How a credential's calls are counted in the shared limiter: `points` calls per fixed window of `windowMs`. */
export interface WindowPlan {
  points: number;
  windowMs: number;
}

/**
 * Shorter windows would let the time between taking a unit and the CRM counting the call (a store write
 * and the request: milliseconds, tens under load) matter. Longer ones waste more of the limit: a window's
 * points are at most max / (n + 1), so 500 ms kept 180 of HubSpot's 190 calls per 10 s, 250 ms keeps 185.
 */
export const MIN_WINDOW_MS = 250;

/**
 * rate-limiter-flexible counts in fixed windows, while HubSpot counts `max` calls in any rolling
 * `intervalMs`. Any rolling interval overlaps at most n + 1 of our windows of intervalMs / n, so n + 1
 * windows' points must fit in `max`: points = floor(max / (n + 1)). The n (windows no shorter than
 * MIN_WINDOW_MS) with the most calls per interval wins; the longest window on a tie. Windows are whole ms
 * (the PostgreSQL store keeps expiry times as bigint), rounded up so that n of them still span the interval.
 * For 190 per 10 s this gives 5 calls per 271 ms (185 per 10 s, 97 % of the limit), where one 10-s window
 * of 190 could let 380 through across its boundary.
 */
export function planWindows(max: number, intervalMs: number): WindowPlan {
  if (!(max >= 2) || !(intervalMs > 0)) {
    throw new RangeError(`a call budget needs at least 2 calls per window (got ${max} per ${intervalMs} ms)`);
  }
  let best: WindowPlan & { perInterval: number } = {
    points: Math.floor(max / 2),
    windowMs: intervalMs,
    perInterval: Math.floor(max / 2),
  };
  const most = Math.max(1, Math.floor(intervalMs / MIN_WINDOW_MS));
  for (let windows = 2; windows <= most; windows += 1) {
    const points = Math.floor(max / (windows + 1));
    if (points < 1) break;
    if (points * windows > best.perInterval) {
      best = { points, windowMs: Math.ceil(intervalMs / windows), perInterval: points * windows };
    }
  }
  return { points: best.points, windowMs: best.windowMs };
}
