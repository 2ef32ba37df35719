import type { EnhancedLead, LeadKind } from '../inbound/lead.types';
import { TOPICS } from '../topics/topic-catalogue';
import { defineEvent } from './event-definition';

export type LeadTier = 'hot' | 'warm' | 'cold';
export const LEAD_TIERS: readonly LeadTier[] = ['hot', 'warm', 'cold'];

/** A CRM a lead can be routed to: the id of its connector (`salesforce`, `hubspot`, ...). */
export type Destination = string;

/** One signed contribution to the score, e.g. `{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }`. */
export interface ScoreReason {
  factor: string;
  points: number;
  label: string;
}

/** Normalised values, kept beside the lead's originals. */
export interface NormalizedLead {
  email: string;
  phone_e164?: string;
  first_name?: string;
  last_name?: string;
  full_name?: string;
  address?: string;
  city?: string;
  state?: string;
  zip_code?: string;
}

export interface LeadEnrichment {
  score: number;
  tier: LeadTier;
  reasons: ScoreReason[];
  model_version: string;
  /** Normalised email, else E.164 phone: ties together the leads of one person. */
  person_key: string;
  normalized: NormalizedLead;
}

export interface LeadRouting {
  account_id: string;
  destinations: Destination[];
}

export interface LeadEnrichedV1 {
  lead: EnhancedLead;
  kind: LeadKind;
  enrichment: LeadEnrichment;
  routing: LeadRouting;
}

export const LEAD_ENRICHED_V1 = defineEvent<LeadEnrichedV1>({
  topic: TOPICS.leadEnriched,
  type: 'lead-delivery.lead.enriched.v1',
  key: (value) => value.lead.lead_id,
});
