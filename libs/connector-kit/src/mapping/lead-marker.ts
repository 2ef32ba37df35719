/**
 * The last line of every activity record a connector writes (a HubSpot note, a Salesforce Task): it names
 * the lead, so that a redelivered lead finds its activity instead of writing a second one. Stable:
 * changing it makes every activity written before look foreign, and a redelivery would duplicate them.
 */
export const leadMarker = (leadId: string) => `Realtor.com lead id: ${leadId}`;

/** Whether a text has the lead's marker as a line of its own (a CRM user may have added lines around it). */
export function carriesLeadMarker(text: string | null | undefined, leadId: string): boolean {
  const marker = leadMarker(leadId);
  return (text ?? '').split(/\r?\n/).some((line) => line.trim() === marker);
}
