import {
  ENHANCED_LEAD_SCHEMA,
  STANDARD_LEAD_SCHEMA,
  type EnhancedLead,
  type LeadEnrichedV1,
  type LeadTier,
  type StandardLead,
} from '@lead-delivery/contracts';
import { JSONSchemaFaker } from 'json-schema-faker';
import { randomBytes } from 'node:crypto';
import seedrandom from 'seedrandom';

let sequence = 0;

/** A lead id no other test uses. */
export function uniqueLeadId(prefix = 'lead'): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequence}-${randomBytes(2).toString('hex')}`;
}

/** A realistic standard lead, as Realtor.com would send it. */
export function aStandardLead(overrides: Partial<StandardLead> = {}): StandardLead {
  const leadId = overrides.lead_id ?? uniqueLeadId();
  return {
    lead_id: leadId,
    contact: {
      first_name: 'Maria',
      last_name: 'Gonzalez',
      email: `maria.${leadId}@example.com`,
      phone: '(512) 555-0142',
    },
    property: {
      address: '2104 Lakeview Dr',
      city: 'Austin',
      state: 'TX',
      zip_code: '78704',
      list_price: 489_000,
      beds: 3,
      baths: 2,
    },
    message: 'Hi, is this home still available? I would like to schedule a tour this weekend.',
    source: 'realtor.com',
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}

/** A realistic enhanced lead: MLS data, listing agent, finance info and transaction scores. */
export function anEnhancedLead(overrides: Partial<EnhancedLead> = {}): EnhancedLead {
  const standard = aStandardLead(overrides.lead_id ? { lead_id: overrides.lead_id } : {});
  return {
    ...standard,
    role: 'buyer',
    property: {
      ...standard.property,
      listing_url: 'https://www.realtor.com/realestateandhomes-detail/2104-Lakeview-Dr_Austin_TX_78704',
      latitude: 30.2489,
      longitude: -97.7653,
      mls_id: 'ACT-1234567',
      mls_name: 'Austin Central Texas MLS',
      listing_status: 'active',
      sqft: 1840,
      active_days_on_market: 12,
    },
    listing_agent: { name: 'Daniel Reyes', email: 'daniel.reyes@brokerage.example', phone: '512-555-0199' },
    finance_info: { pre_approved: true, budget_min: 400_000, budget_max: 520_000 },
    is_likely_to_transact: true,
    probability_to_transact: 0.82,
    ...overrides,
  };
}

/** Payloads generated from the spec's schemas with a seeded generator: the same seed gives the same leads. */
export function specGeneratedLeads(seed: number, count: number): Record<string, unknown>[] {
  const random = seedrandom(String(seed));
  JSONSchemaFaker.option({
    random,
    optionalsProbability: 0.7,
    fillProperties: false,
    alwaysFakeOptionals: false,
  });
  return Array.from(
    { length: count },
    (_, index) =>
      JSONSchemaFaker.generate(
        (index % 2 === 0 ? STANDARD_LEAD_SCHEMA : ENHANCED_LEAD_SCHEMA) as never,
      ) as Record<string, unknown>,
  );
}

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
