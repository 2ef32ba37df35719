import { createHash } from 'node:crypto';

/** What this process knows of a contact it upserted moments ago. */
export interface RecentContact {
  contactId: string;
  /**
   * HubSpot created the contact (so it had no notes), and no notes call that may have reached HubSpot
   * has been made for it since: a retry need not look for notes already written.
   */
  noNotes: boolean;
}

/**
 * Contacts this process upserted moments ago, by account, email and the exact properties written. A lead
 * retried because its note could not be created finds its contact here and skips a second, identical
 * upsert (and, while `noNotes` holds, the lookup of its notes): a 30% failure rate then costs one extra
 * call per failure, not two or three.
 */
export class RecentUpserts {
  private readonly entries = new Map<string, RecentContact & { at: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 5_000,
  ) {}

  /**
   * A digest of account, email and properties: up to `maxEntries` keys stay in memory for minutes, and the
   * properties themselves (the lead's message, address...) would make each key a kilobyte or more.
   */
  static keyOf(accountId: string, email: string, properties: Record<string, string>): string {
    const written = JSON.stringify([
      accountId,
      email,
      Object.entries(properties).sort(([a], [b]) => a.localeCompare(b)),
    ]);
    return createHash('sha256').update(written).digest('base64url');
  }

  get(key: string, now = Date.now()): RecentContact | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.at <= this.ttlMs) return { contactId: entry.contactId, noNotes: entry.noNotes };
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, contact: RecentContact, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { ...contact, at: now });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** A notes call for the contact may have reached HubSpot: from now on its notes must be looked up. */
  notesMayExist(key: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.noNotes = false;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
