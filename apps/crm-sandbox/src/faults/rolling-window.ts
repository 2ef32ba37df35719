/** Counts events in a rolling window (HubSpot's TEN_SECONDLY_ROLLING, Salesforce's rolling 24 h). */
export class RollingWindow {
  private readonly times: number[] = [];
  private head = 0;

  count(windowMs: number, now: number): number {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= now - windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }

  /** How long until one more event fits under `max`, in ms (0 when it fits now). */
  waitMs(max: number, windowMs: number, now: number): number {
    const count = this.count(windowMs, now);
    if (count < max) return 0;
    const oldestThatMustLeave = this.times[this.head + count - max] ?? now;
    return Math.max(1, oldestThatMustLeave + windowMs - now);
  }

  clear(): void {
    this.times.length = 0;
    this.head = 0;
  }
}
