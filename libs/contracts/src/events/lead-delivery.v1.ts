import { TOPICS } from '../topics/topic-catalogue';
import type { Destination } from './lead-enriched.v1';
import { defineEvent } from './event-definition';

/**
 * `suppressed`: not delivered, the person's identity was erased (see IdentitySuppressedV1).
 * `skipped`: not delivered, and never retried nor dead-lettered: the CRM account declines the lead on
 * purpose (e.g. it archived the lead's source); `error` says why as `<skip reason>: <detail>`.
 */
export type DeliveryOutcome = 'delivered' | 'failed' | 'dead_lettered' | 'suppressed' | 'skipped';
export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = [
  'delivered',
  'failed',
  'dead_lettered',
  'suppressed',
  'skipped',
];

/** Why a lead was skipped: the first part of a `skipped` event's `error`. */
export type DeliverySkipReason = 'lead_source_archived';
export const DELIVERY_SKIP_REASONS: readonly DeliverySkipReason[] = ['lead_source_archived'];

/** What happened when a connector tried to put one lead into one CRM. */
export interface LeadDeliveryV1 {
  lead_id: string;
  account_id: string;
  destination: Destination;
  outcome: DeliveryOutcome;
  crm_record_id: string | null;
  attempts: number;
  /** `<kind>: <reason>` of a failure; of a `skipped` lead, `<skip reason>: <detail>`. */
  error: string | null;
  /** The lead's own timestamp, so speed-to-lead needs no join. */
  lead_timestamp: string;
  delivered_at: string | null;
  occurred_at: string;
  person_key?: string;
}

export const LEAD_DELIVERY_V1 = defineEvent<LeadDeliveryV1>({
  topic: TOPICS.leadDelivery,
  type: 'lead-delivery.lead.delivery.v1',
  key: (value) => value.lead_id,
});
