import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { EntityManager } from 'typeorm';
import { leadKeyOf } from '../ingest/lead-history.rows';
import type { IdentityHasher } from './identity-hasher';
import { eraseLeads, type LeadKey } from './lead-erasure';

/** A lead's identity as an event presents it. */
export interface PresentedIdentity extends LeadKey {
  email: string | null;
  /** E.164, or as the lead sent it (normalised here with the default country). */
  phone: string | null;
}

/** A suppressed lead, and the erasure that suppresses it. */
export interface Suppression {
  lead: LeadKey;
  erasureId: string;
}

export const SUPPRESSION_EVENT_SOURCE = '/persistence/suppression';

// The newest erasure in force that covers each identity: same email or phone hash, of the lead's account
// or of every account. $1: [{i, account_id, email_hash, phone_hash}], $2: the suppression period in days.
const SUPPRESSING_ERASURES = `
  SELECT DISTINCT ON (x.i) x.i, r.id AS erasure_id
  FROM jsonb_to_recordset($1::jsonb) AS x(i int, account_id text, email_hash text, phone_hash text)
  JOIN erasure_requests r
    ON (r.email_hash = x.email_hash OR r.phone_hash = x.phone_hash)
   AND (r.account_id IS NULL OR r.account_id = x.account_id)
   AND r.requested_at > now() - make_interval(days => $2)
  ORDER BY x.i, r.requested_at DESC`;

// Whether any erasure in force could suppress a lead of these accounts ($1: account ids, $2: the period in
// days): when none does, the batch's identities are not hashed (normalising phones costs more than the query).
// Asked only when an erasure is in force at all (inForceAnywhere).
const ERASURES_IN_FORCE = `
  SELECT EXISTS (
    SELECT 1 FROM erasure_requests r
    WHERE (r.account_id IS NULL OR r.account_id = ANY($1::text[]))
      AND r.requested_at > now() - make_interval(days => $2)
  ) AS any`;

/**
 * Suppression of erased identities: for ERASURE_SUPPRESSION_DAYS after an erasure, a lead whose email or
 * phone hashes (keyed, as the erasure recorded them) to an erased identity of its account is stored
 * without personal data and marked erased, so an event that arrives after the erasure (a lead in flight,
 * a replay, a dead letter replayed) does not bring the person back. Callers hold LOCK_AGAINST_ERASURE.
 */
export class IdentitySuppression {
  constructor(
    private readonly hasher: IdentityHasher,
    private readonly periodDays: number,
    private readonly defaultCountry: CountryCode,
  ) {}

  /**
   * Whether any erasure is in force, for any account: a statement without parameters (`any`), so that a
   * batch can ask it in the round trip that begins its transaction. When none is, nothing is suppressed.
   */
  get inForceAnywhere(): string {
    return `SELECT EXISTS (
      SELECT 1 FROM erasure_requests WHERE requested_at > now() - make_interval(days => ${Math.trunc(this.periodDays)})
    ) AS any`;
  }

  /** The suppressed leads among these, by leadKeyOf; `inForceAnywhere`: that query's answer. */
  async suppressed(
    manager: EntityManager,
    identities: PresentedIdentity[],
    inForceAnywhere: boolean,
  ): Promise<Map<string, Suppression>> {
    if (identities.length === 0 || !inForceAnywhere) return new Map();
    const accounts = [...new Set(identities.map((identity) => identity.account_id))];
    const [inForce] = (await manager.query(ERASURES_IN_FORCE, [accounts, this.periodDays])) as Array<{
      any: boolean;
    }>;
    if (!inForce?.any) return new Map();
    const rows = identities.map((identity, i) => ({
      i,
      account_id: identity.account_id,
      email_hash: this.emailHash(identity.email),
      phone_hash: this.phoneHash(identity.phone),
    }));
    const wanted = rows.filter((row) => row.email_hash !== null || row.phone_hash !== null);
    if (wanted.length === 0) return new Map();
    const found = (await manager.query(SUPPRESSING_ERASURES, [
      JSON.stringify(wanted),
      this.periodDays,
    ])) as Array<{
      i: number;
      erasure_id: string;
    }>;
    return new Map(
      found.map(({ i, erasure_id }) => {
        const { account_id, lead_id } = identities[i] as PresentedIdentity;
        return [leadKeyOf({ account_id, lead_id }), { lead: { account_id, lead_id }, erasureId: erasure_id }];
      }),
    );
  }

  /** Marks the suppressed leads erased (their rows hold no personal data) with an `erased` timeline event. */
  async markErased(manager: EntityManager, suppressed: Map<string, Suppression>): Promise<void> {
    const byErasure = new Map<string, LeadKey[]>();
    for (const { lead, erasureId } of suppressed.values()) {
      byErasure.set(erasureId, [...(byErasure.get(erasureId) ?? []), lead]);
    }
    for (const [erasureId, leads] of byErasure) {
      await eraseLeads(manager, leads, {
        source: SUPPRESSION_EVENT_SOURCE,
        eventIdPrefix: erasureId,
        details: { erasure_id: erasureId, suppressed: true },
      });
    }
  }

  private emailHash(email: string | null): string | null {
    const normalised = email?.trim().toLowerCase();
    return normalised ? this.hasher.email(normalised) : null;
  }

  private phoneHash(phone: string | null): string | null {
    if (!phone) return null;
    const parsed = parsePhoneNumberFromString(phone, this.defaultCountry);
    return parsed?.isValid() ? this.hasher.phone(parsed.number) : null;
  }
}

/** The lead fields an erasure removes, set to null: what a suppressed lead's row is written with. */
export const PERSONAL_LEAD_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'address',
  'latitude',
  'longitude',
  'message',
] as const;
