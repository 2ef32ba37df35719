import type { LeadEnrichedV1 } from '@lead-delivery/contracts';

const money = (value: number) => `$${Math.round(value).toLocaleString('en-US')}`;
const joined = (parts: (string | undefined | false)[], separator = ' · ') =>
  parts.filter((part): part is string => typeof part === 'string' && part !== '').join(separator);

/** `2104 Lakeview Dr, Austin, TX 78704`, or the lead id when the lead names no property. */
export function propertyLabel(event: LeadEnrichedV1): string {
  const { normalized } = event.enrichment;
  const property = event.lead.property;
  return (
    normalized.address ??
    (joined([property?.address, property?.city, property?.state, property?.zip_code], ', ') ||
      `lead ${event.lead.lead_id}`)
  );
}

/**
 * The inquiry in plain text: the consumer's message, the property, the consumer's situation and the
 * score with its reasons. It names the lead id, so a CRM user (or a lookup) can tell inquiries apart.
 */
export function inquirySummary(event: LeadEnrichedV1): string[] {
  const { lead, enrichment } = event;
  const property = lead.property;
  const finance = lead.finance_info;
  const budget =
    finance?.budget_min !== undefined || finance?.budget_max !== undefined
      ? `budget ${joined([finance.budget_min !== undefined && money(finance.budget_min), finance.budget_max !== undefined && money(finance.budget_max)], '–')}`
      : undefined;
  const probability = lead.probability_to_transact;
  return [
    `Realtor.com inquiry ${lead.lead_id} (${lead.timestamp})`,
    lead.message?.trim() ? `Message: ${lead.message.trim()}` : '',
    property
      ? `Property: ${joined([
          propertyLabel(event),
          property.list_price !== undefined && money(property.list_price),
          property.beds !== undefined && `${property.beds} beds`,
          property.baths !== undefined && `${property.baths} baths`,
          property.sqft !== undefined && `${property.sqft.toLocaleString('en-US')} sqft`,
          property.mls_id &&
            `MLS ${joined([property.mls_id, property.mls_name && `(${property.mls_name})`], ' ')}`,
          property.listing_status,
        ])}`
      : '',
    property?.listing_url ? `Listing: ${property.listing_url}` : '',
    joined([
      lead.role,
      finance?.pre_approved === true && 'pre-approved',
      finance?.pre_approved === false && 'not pre-approved',
      budget,
      probability !== undefined && `probability to transact ${Math.round(probability * 100)}%`,
    ]),
    `Score ${enrichment.score} (${enrichment.tier}, model ${enrichment.model_version})${
      enrichment.reasons.length > 0 ? `: ${enrichment.reasons.map((reason) => reason.label).join('; ')}` : ''
    }`,
  ].filter((line) => line !== '');
}
