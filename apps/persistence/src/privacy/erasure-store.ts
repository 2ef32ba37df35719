import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AUTOMATED_PLACES, erasureStateOf, type ErasureState, type PlaceState } from './erasure-state';
import type { ErasureTarget } from './erasure-target';
import type { IdentityHasher } from './identity-hasher';

export interface ErasureView {
  erasure_id: string;
  state: ErasureState;
  account_id: string | null;
  matched_by: Array<'email' | 'phone'>;
  requested_by: string;
  requested_at: Date;
  completed_at: Date | null;
  places: Array<{
    place: string;
    state: PlaceState;
    attempts: number;
    last_error: string | null;
    done_at: Date | null;
    details: Record<string, unknown>;
  }>;
}

interface RequestRow {
  id: string;
  email_hash: string | null;
  phone_hash: string | null;
  account_id: string | null;
  requested_by: string;
  requested_at: Date;
  completed_at: Date | null;
}

const FIND_RECENT = `
  SELECT id FROM erasure_requests
  WHERE email_hash IS NOT DISTINCT FROM $1 AND phone_hash IS NOT DISTINCT FROM $2
    AND account_id IS NOT DISTINCT FROM $3 AND requested_at > now() - make_interval(hours => $4)
  ORDER BY requested_at DESC LIMIT 1`;
const INSERT_REQUEST = `
  INSERT INTO erasure_requests
    (id, email_hash, phone_hash, account_id, requested_by, state, email, phone_e164, phone_digits)
  VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, $7, $8)`;
const INSERT_PLACES = `
  INSERT INTO erasure_places (erasure_id, place, state) SELECT $1, unnest($2::text[]), 'pending'`;

/** Erasure requests: recorded durably and idempotently; the ErasureWorker carries them out. */
export class ErasureStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: IdentityHasher,
    private readonly idempotencyWindowHours: number,
  ) {}

  /**
   * Records a request, or returns the one recorded for the same identity and scope within the window
   * (a retried or repeated request does not start a second erasure).
   */
  async request(target: ErasureTarget, requestedBy: string): Promise<{ id: string; created: boolean }> {
    const emailHash = target.email === null ? null : this.hasher.email(target.email);
    const phoneHash = target.phoneE164 === null ? null : this.hasher.phone(target.phoneE164);
    return this.dataSource.transaction(async (manager) => {
      // Two identical requests at once: the second waits for the first and finds it.
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `erasure:${emailHash}:${phoneHash}:${target.accountId}`,
      ]);
      const [recent] = (await manager.query(FIND_RECENT, [
        emailHash,
        phoneHash,
        target.accountId,
        this.idempotencyWindowHours,
      ])) as Array<{ id: string }>;
      if (recent) return { id: recent.id, created: false };
      const id = randomUUID();
      await manager.query(INSERT_REQUEST, [
        id,
        emailHash,
        phoneHash,
        target.accountId,
        requestedBy,
        target.email,
        target.phoneE164,
        target.phoneDigits,
      ]);
      await manager.query(INSERT_PLACES, [id, [...AUTOMATED_PLACES]]);
      return { id, created: true };
    });
  }

  async find(id: string): Promise<ErasureView | undefined> {
    const [request] = (await this.dataSource.query(
      `SELECT id, email_hash, phone_hash, account_id, requested_by, requested_at, completed_at
       FROM erasure_requests WHERE id = $1`,
      [id],
    )) as RequestRow[];
    if (!request) return undefined;
    const places = (await this.dataSource.query(
      `SELECT place, state, attempts, last_error, done_at, details FROM erasure_places
       WHERE erasure_id = $1
       ORDER BY CASE place WHEN 'postgres' THEN 0 WHEN 'outbox' THEN 1 ELSE 2 END, place`,
      [id],
    )) as ErasureView['places'];
    return {
      erasure_id: request.id,
      state: erasureStateOf(places),
      account_id: request.account_id,
      matched_by: [
        ...(request.email_hash ? ['email' as const] : []),
        ...(request.phone_hash ? ['phone' as const] : []),
      ],
      requested_by: request.requested_by,
      requested_at: request.requested_at,
      completed_at: request.completed_at,
      places,
    };
  }
}
