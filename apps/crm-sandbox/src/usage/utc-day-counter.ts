const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Counts events per calendar day, HubSpot's DAILY limit. HubSpot resets it at midnight in the portal's time
 * zone; the sandbox's portals all live in UTC.
 */
export class UtcDayCounter {
  private day = Number.NaN;
  private used = 0;

  count(now: number): number {
    return dayOf(now) === this.day ? this.used : 0;
  }

  add(now: number): void {
    const day = dayOf(now);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    this.used += 1;
  }

  /** The next midnight (UTC), in ms since the epoch. */
  resetsAt(now: number): number {
    return (dayOf(now) + 1) * DAY_MS;
  }

  clear(): void {
    this.day = Number.NaN;
    this.used = 0;
  }
}

const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
