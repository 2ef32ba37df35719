import { anEnrichedLead } from '@lead-delivery/testing';
import { carriesLeadMarker, MappingError } from '@lead-delivery/connector-kit';
import { DEFAULT_RATING, type SalesforceAccount } from '../accounts/salesforce-accounts';
import { mapSalesforceLead } from './salesforce-lead.mapper';

const KEY_FIELDS = { leadId: 'Realtor_Lead_Id__c', personKey: 'Realtor_Person_Key__c' };
const account = (overrides: Partial<SalesforceAccount> = {}): SalesforceAccount => ({
  id: 'acct-1',
  credentials: undefined,
  sharedOrg: true,
  recordMode: 'per-lead',
  fields: {},
  rating: DEFAULT_RATING,
  ...overrides,
});

describe('mapSalesforceLead', () => {
  it('maps a lead to a Lead keyed by its account and lead id, with the default fields', () => {
    const event = anEnrichedLead('acct-1', { tier: 'warm' });
    const { key, keyField, lead, task } = mapSalesforceLead(event, account(), KEY_FIELDS);

    expect(key).toBe(`acct-1:${event.lead.lead_id}`);
    expect(keyField).toBe('Realtor_Lead_Id__c');
    expect(task).toBeUndefined();
    expect(lead).toMatchObject({
      Realtor_Lead_Id__c: `acct-1:${event.lead.lead_id}`,
      FirstName: 'Maria',
      LastName: 'Gonzalez',
      Email: event.enrichment.normalized.email,
      Phone: '+15125550142',
      Company: 'Maria Gonzalez (Realtor.com consumer)',
      Street: '2104 Lakeview Dr',
      City: 'Austin',
      State: 'TX',
      PostalCode: '78704',
      LeadSource: 'Web',
      Rating: 'Warm',
    });
    expect(lead['Realtor_Person_Key__c']).toBeUndefined();
  });

  it('writes the message, the property and the score reasons into the Description', () => {
    const event = anEnrichedLead('acct-1');
    const description = String(mapSalesforceLead(event, account(), KEY_FIELDS).lead['Description']);

    expect(description.split('\n')).toEqual([
      `Realtor.com inquiry ${event.lead.lead_id} (${event.lead.timestamp})`,
      `Message: ${event.lead.message}`,
      'Property: 2104 Lakeview Dr, Austin, TX 78704 · $489,000 · 3 beds · 2 baths · 1,840 sqft · MLS ACT-1234567 (Austin Central Texas MLS) · active',
      `Listing: ${event.lead.property?.listing_url}`,
      'buyer · pre-approved · budget $400,000–$520,000 · probability to transact 82%',
      'Score 84 (hot, model test-1): pre-approved +15; wants a tour +10',
    ]);
  });

  it.each([
    [
      'both names',
      { first_name: 'Ana', last_name: 'Li' },
      { FirstName: 'Ana', LastName: 'Li', Company: 'Ana Li (Realtor.com consumer)' },
    ],
    [
      'no last name',
      { first_name: 'Ana' },
      { FirstName: undefined, LastName: 'Ana', Company: 'Ana (Realtor.com consumer)' },
    ],
    ['no name at all', {}, { FirstName: undefined, LastName: 'Unknown', Company: 'Realtor.com consumer' }],
  ])('never leaves LastName or Company empty: %s', (_, names, expected) => {
    const event = anEnrichedLead('acct-1');
    event.lead.contact = { email: event.lead.contact.email, ...names };
    event.enrichment.normalized = { email: event.enrichment.normalized.email, ...names };
    const { lead } = mapSalesforceLead(event, account(), KEY_FIELDS);
    expect({ FirstName: lead['FirstName'], LastName: lead['LastName'], Company: lead['Company'] }).toEqual(
      expected,
    );
  });

  it.each([
    ['hot', 'Hot'],
    ['warm', 'Warm'],
    ['cold', 'Cold'],
  ] as const)('rates a %s lead %s', (tier, rating) => {
    expect(mapSalesforceLead(anEnrichedLead('acct-1', { tier }), account(), KEY_FIELDS).lead['Rating']).toBe(
      rating,
    );
  });

  it('applies the account overrides: const, from, template, removal, and its own ratings', () => {
    const event = anEnrichedLead('acct-1', { tier: 'hot' });
    const { lead } = mapSalesforceLead(
      event,
      account({
        fields: {
          LeadSource: { const: 'Realtor.com' },
          MLS_Id__c: { from: 'lead.property.mls_id' },
          Company: { template: '{lead.contact.last_name} household ({routing.account_id})' },
          Street: null,
          Missing__c: { from: 'lead.finance_info.nothing' },
        },
        rating: { hot: 'A', warm: 'B', cold: 'C' },
      }),
      KEY_FIELDS,
    );
    expect(lead).toMatchObject({
      LeadSource: 'Realtor.com',
      MLS_Id__c: 'ACT-1234567',
      Company: 'Gonzalez household (acct-1)',
      Rating: 'A',
    });
    expect(lead).not.toHaveProperty('Street');
    expect(lead).not.toHaveProperty('Missing__c');
  });

  it('keeps the default of a required field whose override gives nothing', () => {
    const event = anEnrichedLead('acct-1');
    const { lead } = mapSalesforceLead(
      event,
      account({ fields: { Company: { from: 'lead.nothing' } } }),
      KEY_FIELDS,
    );
    expect(lead['Company']).toBe('Maria Gonzalez (Realtor.com consumer)');
  });

  it('cuts text to the Lead field lengths', () => {
    const event = anEnrichedLead('acct-1');
    event.lead.contact.last_name = 'L'.repeat(300);
    event.enrichment.normalized.last_name = 'L'.repeat(300);
    event.lead.message = 'm'.repeat(40_000);
    const { lead } = mapSalesforceLead(event, account(), KEY_FIELDS);
    expect(String(lead['LastName'])).toHaveLength(80);
    expect(String(lead['Company'])).toHaveLength(255);
    expect(String(lead['Description'])).toHaveLength(32_000);
  });

  it('keys the same lead of two accounts apart, for accounts sharing an org', () => {
    const agent = anEnrichedLead('acct-agent');
    const brokerage = { ...agent, routing: { ...agent.routing, account_id: 'acct-brokerage' } };
    const keys = [agent, brokerage].map((event) => mapSalesforceLead(event, account(), KEY_FIELDS).key);
    expect(keys).toEqual([`acct-agent:${agent.lead.lead_id}`, `acct-brokerage:${agent.lead.lead_id}`]);
  });

  it('per person: keys the Lead by the account and person key and carries the inquiry as a Task', () => {
    const event = anEnrichedLead('acct-1', { tier: 'hot' });
    const { key, keyField, lead, task } = mapSalesforceLead(
      event,
      account({ recordMode: 'per-person' }),
      KEY_FIELDS,
    );

    expect(key).toBe(`acct-1:${event.enrichment.person_key}`);
    expect(keyField).toBe('Realtor_Person_Key__c');
    expect(lead['Realtor_Person_Key__c']).toBe(`acct-1:${event.enrichment.person_key}`);
    expect(lead['Realtor_Lead_Id__c']).toBeUndefined();
    expect(task).toEqual({
      Subject: 'Realtor.com inquiry: 2104 Lakeview Dr, Austin, TX 78704',
      Description: `${String(lead['Description'])}\nRealtor.com lead id: ${event.lead.lead_id} (account acct-1)`,
      ActivityDate: event.lead.timestamp.slice(0, 10),
      Status: 'Not Started',
      Priority: 'High',
    });
  });

  it('per person: cuts an inquiry too long for a Task (32,000) but keeps its marker line', () => {
    const event = anEnrichedLead('acct-1', { message: 'x'.repeat(40_000) });
    const { task } = mapSalesforceLead(event, account({ recordMode: 'per-person' }), KEY_FIELDS);
    const description = String(task?.['Description']);
    expect(description).toHaveLength(32_000);
    expect(description.endsWith(`\nRealtor.com lead id: ${event.lead.lead_id} (account acct-1)`)).toBe(true);
    expect(carriesLeadMarker(description, { accountId: 'acct-1', leadId: event.lead.lead_id })).toBe(true);
  });

  it('refuses a per-person lead without a person key (a MappingError dead-letters it)', () => {
    const event = anEnrichedLead('acct-1');
    event.enrichment.person_key = ' ';
    expect(() => mapSalesforceLead(event, account({ recordMode: 'per-person' }), KEY_FIELDS)).toThrow(
      MappingError,
    );
  });
});
