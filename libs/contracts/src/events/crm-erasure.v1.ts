import { PRIVACY_TOPICS } from '../topics/privacy-topics';
import { defineEvent } from './event-definition';

/** One lead of the person in one account, as persistence knows it: no personal data. */
export interface CrmErasureRecord {
  lead_id: string;
  /** The CRM record the delivery wrote (Salesforce Lead id, HubSpot contact id); null when none was recorded. */
  crm_record_id: string | null;
}

/** Persistence asks one connector to erase what it wrote for one person in one account. */
export interface CrmErasureRequestedV1 {
  erasure_id: string;
  destination: string;
  account_id: string;
  records: CrmErasureRecord[];
  requested_at: string;
}

export const CRM_ERASURE_REQUESTED_V1 = defineEvent<CrmErasureRequestedV1>({
  topic: PRIVACY_TOPICS.crmErasureRequested,
  type: 'lead-delivery.crm.erasure-requested.v1',
  key: (value) => value.account_id,
});

/** `erased`: nothing of the person remains that the platform wrote; `rejected`: the CRM refused (see error). */
export type CrmErasureOutcome = 'erased' | 'rejected';

/** What a connector did for one erasure request. */
export interface CrmErasureCompletedV1 {
  erasure_id: string;
  destination: string;
  account_id: string;
  outcome: CrmErasureOutcome;
  /** How the CRM was cleared (e.g. `gdpr_delete`, `deleted`, `anonymised`) and how many records each step touched. */
  method: string | null;
  counts: Record<string, number>;
  error: string | null;
  occurred_at: string;
}

/**
 * An erased identity, suppressed until `suppressed_until`: connectors deliver no lead whose email or phone
 * hashes to it (HMAC-SHA256 under the platform's erasure hash key, of `email:<lower-case email>` or
 * `phone:<E.164>`). The topic's retention is the longest suppression period, so a connector reading it
 * from the beginning knows every suppression in force.
 */
export interface IdentitySuppressedV1 {
  identity_hash: string;
  kind: 'email' | 'phone';
  /** The erased account; null: every account. */
  account_id: string | null;
  erasure_id: string;
  suppressed_until: string;
}

export const IDENTITY_SUPPRESSED_V1 = defineEvent<IdentitySuppressedV1>({
  topic: PRIVACY_TOPICS.identitySuppressed,
  type: 'lead-delivery.identity.suppressed.v1',
  key: (value) => `${value.account_id ?? '*'}:${value.identity_hash}`,
});

export const CRM_ERASURE_COMPLETED_V1 = defineEvent<CrmErasureCompletedV1>({
  topic: PRIVACY_TOPICS.crmErasureCompleted,
  type: 'lead-delivery.crm.erasure-completed.v1',
  key: (value) => value.account_id,
});
