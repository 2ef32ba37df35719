/**
 * The lead as Realtor.com's Lead Delivery API sends it (asyncapi/realtor-lead-delivery.asyncapi.yaml).
 * Field names keep the spec's snake_case so a payload can be read next to the spec.
 */

export type LeadKind = 'standard' | 'enhanced';
export const LEAD_KINDS: readonly LeadKind[] = ['standard', 'enhanced'];
export type LeadRole = 'buyer' | 'seller';
export const LEAD_ROLES: readonly LeadRole[] = ['buyer', 'seller'];

export interface Contact {
  first_name?: string;
  last_name?: string;
  email: string;
  phone?: string;
}

export interface StandardProperty {
  address?: string;
  city?: string;
  state?: string;
  zip_code?: string;
  list_price?: number;
  beds?: number;
  baths?: number;
}

export interface EnhancedProperty extends StandardProperty {
  listing_url?: string;
  latitude?: number;
  longitude?: number;
  mls_id?: string;
  mls_name?: string;
  listing_status?: string;
  sqft?: number;
  active_days_on_market?: number;
}

export interface ListingAgent {
  name?: string;
  email?: string;
  phone?: string;
}

export interface FinanceInfo {
  pre_approved?: boolean;
  budget_min?: number;
  budget_max?: number;
}

interface LeadBase {
  lead_id: string;
  contact: Contact;
  message?: string;
  source?: string;
  /** Normalised by parseLead to UTC ISO-8601 (`2026-01-31T17:04:05.000Z`). */
  timestamp: string;
  /** Transport signature; verified by the gateway, never used as lead data. */
  digital_signature?: string;
}

export interface StandardLead extends LeadBase {
  property?: StandardProperty;
}

export interface EnhancedLead extends LeadBase {
  role?: LeadRole;
  property?: EnhancedProperty;
  listing_agent?: ListingAgent;
  finance_info?: FinanceInfo;
  is_likely_to_transact?: boolean;
  probability_to_transact?: number;
}

/** Either kind; every StandardLead field exists on EnhancedLead, so code that reads leads can use this. */
export type Lead = EnhancedLead;
