import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { anEnhancedLead } from '@lead-delivery/testing';

/** An enriched lead as enrichment publishes it, routed to Follow Up Boss. */
export function anEnrichedLead(accountId = 'acct-1'): LeadEnrichedV1 {
  const lead = anEnhancedLead();
  const email = lead.contact.email.toLowerCase();
  return {
    lead,
    kind: 'enhanced',
    enrichment: {
      score: 84,
      tier: 'hot',
      reasons: [{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }],
      model_version: 'test-1',
      person_key: email,
      normalized: {
        email,
        phone_e164: '+15125550142',
        first_name: 'Maria',
        last_name: 'Gonzalez',
        address: '2104 Lakeview Dr, Austin, TX 78704',
      },
    },
    routing: { account_id: accountId, destinations: ['followupboss'] },
  };
}
