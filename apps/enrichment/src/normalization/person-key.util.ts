import type { NormalizedLead } from '@lead-delivery/contracts';

/**
 * What ties the leads of one person together downstream: the normalised email, else the E.164 phone,
 * else (no way to recognise the person) the lead itself.
 */
export function personKeyOf(normalized: NormalizedLead, leadId: string): string {
  return normalized.email || normalized.phone_e164 || `lead:${leadId}`;
}
