import { IDENTITY_SUPPRESSED_V1, type IdentitySuppressedV1 } from '@lead-delivery/contracts';
import type { EventPublisher } from '@lead-delivery/messaging';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The erased identity, as the request recorded it. */
export interface ErasedIdentity {
  erasureId: string;
  emailHash: string | null;
  phoneHash: string | null;
  accountId: string | null;
}

/** The suppression records of an erasure: one per identity hash it recorded. */
export function suppressionsOf(identity: ErasedIdentity, until: Date): IdentitySuppressedV1[] {
  const hashes: Array<[IdentitySuppressedV1['kind'], string | null]> = [
    ['email', identity.emailHash],
    ['phone', identity.phoneHash],
  ];
  return hashes.flatMap(([kind, hash]) =>
    hash === null
      ? []
      : [
          {
            identity_hash: hash,
            kind,
            account_id: identity.accountId,
            erasure_id: identity.erasureId,
            suppressed_until: until.toISOString(),
          },
        ],
  );
}

/**
 * Tells the connectors (`identities.suppressed.v1`) which identities an erasure suppresses, as keyed
 * hashes: they hash each lead's email and phone with the same key and deliver none that matches. Sent
 * with the erasure's `postgres` step, before its CRM places are asked for.
 */
export class SuppressionAnnouncer {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly periodDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async announce(identity: ErasedIdentity): Promise<void> {
    const until = new Date(this.now().getTime() + this.periodDays * DAY_MS);
    await Promise.all(
      suppressionsOf(identity, until).map((value) =>
        this.publisher.publish(IDENTITY_SUPPRESSED_V1, value, { accountId: value.account_id ?? '*' }),
      ),
    );
  }
}
