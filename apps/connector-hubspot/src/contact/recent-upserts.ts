/**
 * Contacts this process upserted moments ago, by account, email and the exact properties written. A lead
 * retried because its note could not be created finds its contact here and skips a second, identical
 * upsert: a 30% failure rate then costs one extra call per failure, not two.
 */
export class RecentUpserts {
  private readonly entries = new Map<string, { contactId: string; at: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 5_000,
  ) {}

  static keyOf(accountId: string, email: string, properties: Record<string, string>): string {
    return JSON.stringify([
      accountId,
      email,
      Object.entries(properties).sort(([a], [b]) => a.localeCompare(b)),
    ]);
  }

  get(key: string, now = Date.now()): string | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.at <= this.ttlMs) return entry.contactId;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, contactId: string, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { contactId, at: now });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
