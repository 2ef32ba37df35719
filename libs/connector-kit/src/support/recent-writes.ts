import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface RecentWritesOptions {
  /** How long an entry is kept after it was set. */
  ttlMs?: number;
  /** Beyond this many entries, the least recently used is dropped. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * What this process wrote to a CRM moments ago, by a digest of account, identity and the exact fields
 * written: a retry that would write the same record again finds it here and skips the call. An entry lives
 * `ttlMs` (10 minutes) from when it was set, and at most `maxEntries` (5,000) stay in memory.
 */
export class RecentWrites<V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<string, V>;

  constructor({ ttlMs = 10 * 60_000, maxEntries = 5_000, now = Date.now }: RecentWritesOptions = {}) {
    // ttlResolution 0: each expiry check reads the clock, never a reading cached for the next millisecond.
    this.entries = new LRUCache<string, V>({ max: maxEntries, ttl: ttlMs, ttlResolution: 0, perf: { now } });
  }

  /**
   * A digest of account, identity and fields, in any order: up to `maxEntries` keys stay in memory for
   * minutes, and the fields themselves (a lead's message, address...) would make each key a kilobyte or more.
   */
  static keyOf(accountId: string, identity: string, fields: Record<string, unknown>): string {
    const written = JSON.stringify([
      accountId,
      identity,
      Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)),
    ]);
    return createHash('sha256').update(written).digest('base64url');
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.set(key, value);
  }

  /** Replaces the entry of `key`, if one is live, by `change` of it; its time to live runs on unchanged. */
  update(key: string, change: (value: V) => V): void {
    const value = this.entries.peek(key);
    if (value !== undefined) this.entries.set(key, change(value), { noUpdateTTL: true });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
