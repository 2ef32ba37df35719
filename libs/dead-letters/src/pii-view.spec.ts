import { maskPii } from './pii-view';

describe('maskPii', () => {
  it('masks the personal data of a lead event at any depth, keeping what an operator needs', () => {
    const event = {
      lead: {
        lead_id: 'lead-1',
        contact: {
          first_name: 'Maria',
          last_name: 'Gonzalez',
          email: 'maria@example.com',
          phone: '(512) 555-0142',
        },
        property: { address: '2104 Lakeview Dr', city: 'Austin', list_price: 489_000 },
        message: 'Call me at 512-555-0142',
      },
      enrichment: { person_key: 'maria@example.com', normalized: { phone_e164: '+15125550142' } },
      routing: { account_id: 'acct-1', destinations: ['hubspot'] },
    };
    expect(maskPii(event)).toEqual({
      lead: {
        lead_id: 'lead-1',
        contact: { first_name: 'M***', last_name: 'G***', email: 'm***@e***.com', phone: '***42' },
        property: { address: '[16 characters hidden]', city: 'Austin', list_price: 489_000 },
        message: '[23 characters hidden]',
      },
      enrichment: { person_key: 'm***@e***.com', normalized: { phone_e164: '***42' } },
      routing: { account_id: 'acct-1', destinations: ['hubspot'] },
    });
  });

  it('masks emails and phones inside other text', () => {
    expect(maskPii('INVALID_EMAIL_ADDRESS: jane@x.org')).toBe('INVALID_EMAIL_ADDRESS: j***@x***.org');
  });
});
