import type { EnhancedLead } from '@lead-delivery/contracts';

/** The event types that start Follow Up Boss's automations and action plans (docs: POST /v1/events). */
export const FUB_EVENT_TYPES = [
  'Property Inquiry',
  'Seller Inquiry',
  'General Inquiry',
  'Registration',
] as const;
export type FubEventType = (typeof FUB_EVENT_TYPES)[number];

/** What a lead is, as the connector tells it apart; an account may send each as another FUB event type. */
export const INQUIRY_KINDS = ['property', 'seller', 'general', 'registration'] as const;
export type InquiryKind = (typeof INQUIRY_KINDS)[number];

export const DEFAULT_EVENT_TYPES: Record<InquiryKind, FubEventType> = {
  property: 'Property Inquiry',
  seller: 'Seller Inquiry',
  general: 'General Inquiry',
  registration: 'Registration',
};

/**
 * A seller is a Seller Inquiry (about their own home); a buyer asking about a listing a Property Inquiry;
 * a message without a listing a General Inquiry; a sign-up with neither a Registration.
 */
export function inquiryKindOf(lead: EnhancedLead): InquiryKind {
  if (lead.role === 'seller') return 'seller';
  const property = lead.property;
  if (property?.address || property?.mls_id || property?.listing_url) return 'property';
  return lead.message?.trim() ? 'general' : 'registration';
}
