import { MappingError } from '@lead-delivery/connector-kit';
import { anEnrichedLead } from '@lead-delivery/testing';
import { accountsOf, writeAccountsFile } from '../../test/support/accounts';
import { mapFollowupbossEvent } from './followupboss-event.mapper';

describe('mapFollowupbossEvent', () => {
  const accounts = accountsOf({ FOLLOWUPBOSS_API_TOKEN: 'key' });

  it('maps a buyer asking about a listing to a Property Inquiry with person, property and message', () => {
    const event = anEnrichedLead('acct-1');
    expect(mapFollowupbossEvent(event, accounts.of('acct-1'))).toEqual({
      source: 'Realtor.com',
      type: 'Property Inquiry',
      message: event.lead.message,
      description: [
        'Lead score 84 (hot): pre-approved +15, wants a tour +10',
        `Realtor.com lead id: ${event.lead.lead_id} (account acct-1)`,
      ].join('\n'),
      person: {
        firstName: 'Maria',
        lastName: 'Gonzalez',
        emails: [{ value: event.enrichment.normalized.email }],
        phones: [{ value: '+15125550142' }],
      },
      property: {
        street: '2104 Lakeview Dr',
        city: 'Austin',
        state: 'TX',
        code: '78704',
        mlsNumber: 'ACT-1234567',
        price: 489_000,
        url: 'https://www.realtor.com/realestateandhomes-detail/2104-Lakeview-Dr_Austin_TX_78704',
        bedrooms: 3,
        bathrooms: 2,
        area: 1840,
      },
    });
  });

  it('sends a seller as a Seller Inquiry, a message alone as a General Inquiry, neither as a Registration', () => {
    const account = accounts.of('acct-1');
    expect(mapFollowupbossEvent(anEnrichedLead('acct-1', { role: 'seller' }), account).type).toBe(
      'Seller Inquiry',
    );
    const noListing = anEnrichedLead('acct-1', { property: undefined });
    expect(mapFollowupbossEvent(noListing, account)).toMatchObject({ type: 'General Inquiry' });
    expect(mapFollowupbossEvent(noListing, account).property).toBeUndefined();
    const signUp = anEnrichedLead('acct-1', { property: undefined, message: undefined });
    expect(mapFollowupbossEvent(signUp, account)).not.toHaveProperty('message');
    expect(mapFollowupbossEvent(signUp, account).type).toBe('Registration');
  });

  it('uses the account’s source and event types', () => {
    const file = { accounts: { team: { source: 'RDC Team', eventTypes: { property: 'General Inquiry' } } } };
    const team = accountsOf({
      FOLLOWUPBOSS_API_TOKEN: 'key',
      CONNECTOR_ACCOUNTS_FILE: writeAccountsFile(file),
    }).of('team');
    expect(mapFollowupbossEvent(anEnrichedLead('team'), team)).toMatchObject({
      source: 'RDC Team',
      type: 'General Inquiry',
    });
  });

  it('refuses a lead without an email address', () => {
    const event = anEnrichedLead('acct-1');
    event.enrichment.normalized.email = '';
    event.lead.contact.email = ' ';
    expect(() => mapFollowupbossEvent(event, accounts.of('acct-1'))).toThrow(MappingError);
  });
});
