import { anEnrichedLead } from '@lead-delivery/testing';
import { leadMarker, leadRefOf, MappingError } from '@lead-delivery/connector-kit';
import {
  DEFAULT_LEAD_STATUS,
  DEFAULT_LIFECYCLE_STAGE,
  type HubspotAccount,
} from '../accounts/hubspot-accounts';
import { noteCarriesLeadMarker } from '../note/lead-marker';
import { mapHubspotContact } from './hubspot-contact.mapper';

const account = (overrides: Partial<HubspotAccount> = {}): HubspotAccount => ({
  id: 'acct-1',
  credentials: undefined,
  sharedPortal: true,
  fields: {},
  leadStatus: DEFAULT_LEAD_STATUS,
  lifecycleStage: DEFAULT_LIFECYCLE_STAGE,
  ...overrides,
});

describe('mapHubspotContact', () => {
  it('maps a lead to a contact keyed by its lower-cased email, every value a string', () => {
    const event = anEnrichedLead('acct-1', { tier: 'warm', email: 'Maria.G@Example.com' });
    const { email, properties } = mapHubspotContact(event, account());

    expect(email).toBe('maria.g@example.com');
    expect(properties).toEqual({
      email: 'maria.g@example.com',
      firstname: 'Maria',
      lastname: 'Gonzalez',
      phone: '+15125550142',
      address: '2104 Lakeview Dr',
      city: 'Austin',
      state: 'TX',
      zip: '78704',
      message: event.lead.message,
      hs_lead_status: 'NEW',
      lifecyclestage: 'marketingqualifiedlead',
      rdc_lead_id: event.lead.lead_id,
      rdc_person_key: 'maria.g@example.com',
      rdc_role: 'buyer',
      rdc_mls_id: 'ACT-1234567',
      rdc_listing_url: event.lead.property?.listing_url,
      rdc_tier: 'warm',
      rdc_score: '55',
      rdc_list_price: '489000',
      rdc_beds: '3',
      rdc_baths: '2',
      rdc_probability: '0.82',
      rdc_budget_min: '400000',
      rdc_budget_max: '520000',
      rdc_pre_approved: 'true',
    });
  });

  it.each([
    ['hot', 'salesqualifiedlead'],
    ['warm', 'marketingqualifiedlead'],
    ['cold', 'lead'],
  ] as const)('puts a %s lead in lifecycle stage %s', (tier, stage) => {
    expect(
      mapHubspotContact(anEnrichedLead('acct-1', { tier }), account()).properties['lifecyclestage'],
    ).toBe(stage);
  });

  it('sends no property for a value the lead does not have (an empty one would clear it)', () => {
    const event = anEnrichedLead('acct-1');
    event.lead.message = '  ';
    delete event.lead.finance_info;
    const { properties } = mapHubspotContact(event, account());
    expect(properties).not.toHaveProperty('message');
    expect(properties).not.toHaveProperty('rdc_pre_approved');
  });

  it('applies the account overrides and its own status and stage per tier', () => {
    const event = anEnrichedLead('acct-1', { tier: 'hot' });
    const { properties } = mapHubspotContact(
      event,
      account({
        fields: {
          company: { template: '{lead.contact.last_name} family' },
          rdc_mls_id: null,
          jobtitle: { const: 'Buyer' },
        },
        leadStatus: { hot: 'OPEN', warm: 'NEW', cold: 'NEW' },
        lifecycleStage: { hot: 'opportunity', warm: 'lead', cold: 'lead' },
      }),
    );
    expect(properties).toMatchObject({
      company: 'Gonzalez family',
      jobtitle: 'Buyer',
      hs_lead_status: 'OPEN',
      lifecyclestage: 'opportunity',
    });
    expect(properties).not.toHaveProperty('rdc_mls_id');
  });

  it('makes the inquiry a note: timestamped, escaped HTML, naming the lead', () => {
    const event = anEnrichedLead('acct-1', { message: 'Is <b>this</b> "the one"? Tom & Ann' });
    const { note } = mapHubspotContact(event, account());
    expect(note['hs_timestamp']).toBe(event.lead.timestamp);
    expect(note['hs_note_body']?.split('<br>').slice(0, 2)).toEqual([
      `Realtor.com inquiry ${event.lead.lead_id} (${event.lead.timestamp})`,
      'Message: Is &lt;b&gt;this&lt;/b&gt; &quot;the one&quot;? Tom &amp; Ann',
    ]);
    expect(note['hs_note_body']?.split('<br>').at(-1)).toBe(
      `Realtor.com lead id: ${event.lead.lead_id} (account ${event.routing.account_id})`,
    );
    expect(noteCarriesLeadMarker(note['hs_note_body'] ?? '', leadRefOf(event))).toBe(true);
  });

  it('cuts an inquiry too long for a note (65,536 characters) but keeps its marker line', () => {
    const event = anEnrichedLead('acct-1', { message: 'x'.repeat(70_000) });
    const body = mapHubspotContact(event, account()).note['hs_note_body'] ?? '';
    expect(body).toHaveLength(65_536);
    expect(body.endsWith(`<br>${leadMarker(leadRefOf(event))}`)).toBe(true);
    expect(noteCarriesLeadMarker(body, leadRefOf(event))).toBe(true);
  });

  it('refuses a lead without an email (a MappingError dead-letters it)', () => {
    const event = anEnrichedLead('acct-1');
    event.enrichment.normalized.email = '';
    event.lead.contact.email = ' ';
    expect(() => mapHubspotContact(event, account())).toThrow(MappingError);
  });
});
