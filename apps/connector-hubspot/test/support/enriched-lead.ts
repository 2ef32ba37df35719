import type { LeadEnrichedV1, LeadTier } from '@lead-delivery/contracts';
import { anEnhancedLead } from '@lead-delivery/testing';

/** An enriched lead as enrichment publishes it, routed to Salesforce and HubSpot. */
export function anEnrichedLead(
  accountId: string,
  {
    tier = 'hot',
    email,
    ...lead
  }: Partial<LeadEnrichedV1['lead']> & { tier?: LeadTier; email?: string } = {},
): LeadEnrichedV1 {
  const base = anEnhancedLead(lead);
  const contact = email ? { ...base.contact, email } : base.contact;
  const normalizedEmail = contact.email.toLowerCase();
  return {
    lead: { ...base, contact },
    kind: 'enhanced',
    enrichment: {
      score: tier === 'hot' ? 84 : tier === 'warm' ? 55 : 20,
      tier,
      reasons: [
        { factor: 'pre_approved', points: 15, label: 'pre-approved +15' },
        { factor: 'message_intent', points: 10, label: 'wants a tour +10' },
      ],
      model_version: 'test-1',
      person_key: normalizedEmail,
      normalized: {
        email: normalizedEmail,
        phone_e164: '+15125550142',
        first_name: contact.first_name,
        last_name: contact.last_name,
        full_name: [contact.first_name, contact.last_name].filter(Boolean).join(' '),
        address: '2104 Lakeview Dr, Austin, TX 78704',
        city: 'Austin',
        state: 'TX',
        zip_code: '78704',
      },
    },
    routing: { account_id: accountId, destinations: ['salesforce', 'hubspot'] },
  };
}
