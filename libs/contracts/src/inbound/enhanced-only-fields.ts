/**
 * Fields that only EnhancedLeadPayload defines. A lead carrying any of them is `enhanced`, otherwise
 * `standard` (DESIGN.md, Contracts). `digital_signature` is also enhanced-only in the spec, but it is the
 * transport signature, not lead data, so it does not make a lead enhanced.
 */
export const ENHANCED_ONLY_LEAD_FIELDS = [
  'role',
  'listing_agent',
  'finance_info',
  'is_likely_to_transact',
  'probability_to_transact',
] as const;

export const ENHANCED_ONLY_PROPERTY_FIELDS = [
  'listing_url',
  'latitude',
  'longitude',
  'mls_id',
  'mls_name',
  'listing_status',
  'sqft',
  'active_days_on_market',
] as const;
