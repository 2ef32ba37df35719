import { TOPICS } from '../topics/topic-catalogue';
import type { Destination } from './lead-enriched.v1';
import { defineEvent } from './event-definition';

/** `suppressed`: not delivered, the person's identity was erased (see IdentitySuppressedV1). */
export type DeliveryOutcome = 'delivered' | 'failed' | 'dead_lettered' | 'suppressed';
export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = [
  'delivered',
  'failed',
  'dead_lettered',
  'suppressed',
];

/** What happened when a connector tried to put one lead into one CRM. */
export interface LeadDeliveryV1 {
  lead_id: string;
  account_id: string;
  destination: Destination;
  outcome: DeliveryOutcome;
  crm_record_id: string | null;
  attempts: number;
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
