import { identityHash, type IdentitySuppressedV1, type LeadEnrichedV1 } from '@lead-delivery/contracts';

const ALL_ACCOUNTS = '*';
/** Below this many entries, run-out suppressions are not swept. */
const MIN_SWEEP_SIZE = 1_024;

/**
 * The suppressions in force, in memory: `<account or *>:<hash>` → until when. A lead is suppressed when
 * the keyed hash of its normalised email or E.164 phone is suppressed for its account or for every account.
 * Suppressions that have run out are dropped (the feed reads the whole topic, whose retention outlives
 * most of them), so memory holds at most about twice the suppressions in force.
 */
export class SuppressedIdentities {
  private readonly until = new Map<string, number>();
  private sweepAtSize = MIN_SWEEP_SIZE;

  constructor(
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.until.size;
  }

  add(suppression: IdentitySuppressedV1): void {
    const until = Date.parse(suppression.suppressed_until);
    if (Number.isNaN(until) || until <= this.now()) return;
    const entry = `${suppression.account_id ?? ALL_ACCOUNTS}:${suppression.identity_hash}`;
    this.until.set(entry, Math.max(until, this.until.get(entry) ?? 0));
    if (this.until.size >= this.sweepAtSize) this.sweepRunOut();
  }

  private sweepRunOut(): void {
    const now = this.now();
    for (const [entry, until] of this.until) if (until <= now) this.until.delete(entry);
    this.sweepAtSize = Math.max(MIN_SWEEP_SIZE, 2 * this.until.size);
  }

  covers(event: LeadEnrichedV1): boolean {
    const normalized = event.enrichment?.normalized ?? {};
    const email = (normalized.email || event.lead.contact?.email || '').trim().toLowerCase();
    const phone = normalized.phone_e164;
    const hashes = [
      ...(email ? [identityHash(this.key, 'email', email)] : []),
      ...(phone ? [identityHash(this.key, 'phone', phone)] : []),
    ];
    const now = this.now();
    return [event.routing.account_id, ALL_ACCOUNTS].some((account) =>
      hashes.some((hash) => (this.until.get(`${account}:${hash}`) ?? 0) > now),
    );
  }
}
