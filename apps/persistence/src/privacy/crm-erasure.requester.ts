import { CRM_ERASURE_REQUESTED_V1, type CrmErasureRequestedV1 } from '@lead-delivery/contracts';
import type { EventPublisher } from '@lead-delivery/messaging';
import type { DataSource } from 'typeorm';
import { CRM_PLACE_PREFIX } from './erasure-state';

/** A CRM place's records, as the postgres step recorded them. */
export interface CrmPlaceRecord {
  account_id: string;
  lead_id: string;
  crm_record_id: string | null;
}

interface DueCrmPlace {
  erasure_id: string;
  place: string;
  records: CrmPlaceRecord[];
  requested_at: Date;
}

// CRM places not asked for yet, or asked for longer ago than the re-request interval and still pending
// (a connector that was down, or whose outcome was lost, is asked again; erasing is idempotent).
const DUE_CRM_PLACES = `
  SELECT p.erasure_id, p.place, p.details->'records' AS records, r.requested_at
  FROM erasure_places p JOIN erasure_requests r ON r.id = p.erasure_id
  WHERE p.state = 'pending' AND p.place LIKE $1 || '%'
    AND (NOT p.details ? 'requested_at'
         OR (p.details->>'requested_at')::timestamptz < now() - make_interval(secs => $2::double precision / 1000))
  ORDER BY p.created_at
  LIMIT 20
  FOR UPDATE OF p SKIP LOCKED`;
const MARK_REQUESTED = `
  UPDATE erasure_places SET details = details || jsonb_build_object('requested_at', now())
  WHERE erasure_id = $1 AND place = $2`;

/** One request per account: a CRM org or portal is an account's, and the connectors work per account. */
export function crmErasureRequests(due: {
  erasure_id: string;
  place: string;
  records: CrmPlaceRecord[];
  requested_at: Date;
}): CrmErasureRequestedV1[] {
  const destination = due.place.slice(CRM_PLACE_PREFIX.length);
  const byAccount = new Map<string, CrmPlaceRecord[]>();
  for (const record of due.records) {
    byAccount.set(record.account_id, [...(byAccount.get(record.account_id) ?? []), record]);
  }
  return [...byAccount].map(([accountId, records]) => ({
    erasure_id: due.erasure_id,
    destination,
    account_id: accountId,
    records: records.map(({ lead_id, crm_record_id }) => ({ lead_id, crm_record_id })),
    requested_at: due.requested_at.toISOString(),
  }));
}

/**
 * Asks the connectors, through Kafka, to erase the records of the CRM places (persistence never calls a
 * CRM): one `crm.erasure-requested.v1` per destination and account, carrying lead ids and CRM record ids
 * only. The place records when it asked, in the transaction that holds its lock; a publish that fails
 * rolls that back, and the place is asked for on the next pass.
 */
export class CrmErasureRequester {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly reRequestAfterMs: number,
  ) {}

  /** Resolves with how many places were asked for. */
  async requestDue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = (await manager.query(DUE_CRM_PLACES, [
        CRM_PLACE_PREFIX,
        this.reRequestAfterMs,
      ])) as DueCrmPlace[];
      for (const place of due) {
        await Promise.all(
          crmErasureRequests(place).map((request) =>
            this.publisher.publish(CRM_ERASURE_REQUESTED_V1, request, { accountId: request.account_id }),
          ),
        );
        await manager.query(MARK_REQUESTED, [place.erasure_id, place.place]);
      }
      return due.length;
    });
  }
}
