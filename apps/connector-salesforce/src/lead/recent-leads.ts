import { createHash } from 'node:crypto';
import type { SalesforceFields } from './salesforce-lead.mapper';

/**
 * Leads this process upserted moments ago, by account, key field and the exact fields written: a lead
 * retried because its Task could not be created finds its Lead here and skips a second, identical upsert.
 * Under 20 % failed calls a per-person delivery (upsert, then Task) then costs one extra call per failed
 * Task, not two, so its retries fail less often and fewer leads run out of attempts.
 */
export class RecentLeads {
  private readonly entries = new Map<string, { leadId: string; at: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 5_000,
  ) {}

  /**
   * A digest of account, key field and fields: up to `maxEntries` keys stay in memory for minutes, and the
   * fields themselves (the lead's description, address...) made each key about 2 KB, 9 MiB of old space in all.
   */
  static keyOf(accountId: string, keyField: string, fields: SalesforceFields): string {
    const written = JSON.stringify([
      accountId,
      keyField,
      Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)),
    ]);
    return createHash('sha256').update(written).digest('base64url');
  }

  get(key: string, now = Date.now()): string | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.at <= this.ttlMs) return entry.leadId;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, leadId: string, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { leadId, at: now });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
