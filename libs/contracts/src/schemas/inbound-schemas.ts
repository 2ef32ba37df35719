import enhancedLeadSchema from './enhanced-lead.schema.json';
import standardLeadSchema from './standard-lead.schema.json';

/**
 * The spec's payload schemas as JSON Schema (draft-07), extracted verbatim from
 * asyncapi/realtor-lead-delivery.asyncapi.yaml by tools/contracts/extract-inbound-schemas.ts.
 */
export const STANDARD_LEAD_SCHEMA = standardLeadSchema;
export const ENHANCED_LEAD_SCHEMA = enhancedLeadSchema;
