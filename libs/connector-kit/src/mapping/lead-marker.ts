import type { LeadEnrichedV1 } from '@lead-delivery/contracts';

/** What names a lead in a CRM: the account it was sent to and its lead_id (two accounts may share an org). */
export interface LeadRef {
  accountId: string;
  leadId: string;
}

export const leadRefOf = (event: LeadEnrichedV1): LeadRef => ({
  accountId: event.routing.account_id,
  leadId: event.lead.lead_id,
});

/**
 * The last line of every activity record a connector writes (a HubSpot note, a Salesforce Task): it names
 * the account's lead, so that a redelivered lead finds its activity instead of writing a second one, and
 * the same lead sent to two accounts sharing one portal or org gets an activity for each. Stable: changing
 * it makes every activity written before look foreign, and a redelivery would duplicate them. (Account ids
 * have no spaces or parentheses, so the line names exactly one account and lead.)
 */
export const leadMarker = ({ accountId, leadId }: LeadRef) =>
  `Realtor.com lead id: ${leadId} (account ${accountId})`;

/** Whether a text has the lead's marker as a line of its own (a CRM user may have added lines around it). */
export function carriesLeadMarker(text: string | null | undefined, lead: LeadRef): boolean {
  const marker = leadMarker(lead);
  return (text ?? '').split(/\r?\n/).some((line) => line.trim() === marker);
}
