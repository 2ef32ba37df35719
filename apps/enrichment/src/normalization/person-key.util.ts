import type { NormalizedLead } from '@lead-delivery/contracts';

/**
 * What ties the leads of one person together downstream: the normalised email, else the E.164 phone,
 * else (no way to recognise the person) the lead itself. The key is scoped by the lead's account, which
 * travels beside it (`routing.account_id`) rather than inside it: consumers key a person by (account,
 * person_key), so one person asking an agent and their brokerage is a person of each, while the value
 * stays the person's own email or phone for every consumer that already reads it.
 */
export function personKeyOf(normalized: NormalizedLead, leadId: string): string {
  return normalized.email || normalized.phone_e164 || `lead:${leadId}`;
}
