import type { EnhancedLead } from '../inbound/lead.types';
import type { FieldWarning } from '../parse-lead/field-issues';
import { TOPICS } from '../topics/topic-catalogue';
import { defineEvent } from './event-definition';

/** A lead the gateway accepted: the validated lead as the spec shapes it, its warnings, and the raw body. */
export type LeadReceivedV1 = EnhancedLead & {
  warnings: FieldWarning[];
  /** The body exactly as Realtor.com sent it (lenient mode may have set fields of it aside). */
  raw: Record<string, unknown>;
};

export const LEAD_RECEIVED_V1 = defineEvent<LeadReceivedV1>({
  topic: TOPICS.leadReceived,
  type: 'lead-delivery.lead.received.v1',
  key: (value) => value.lead_id,
});
