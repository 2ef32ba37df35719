import { searchOf } from './search-terms';

describe('searchOf', () => {
  it('matches an email as stored: lower-case', () => {
    expect(searchOf(' Ana.Buyer@Example.COM ', 'US')).toEqual({
      leadId: 'Ana.Buyer@Example.COM',
      email: 'ana.buyer@example.com',
    });
  });

  it('matches a phone in any format as E.164, in the default country when it has no code', () => {
    expect(searchOf('(512) 555-0142', 'US')).toEqual({ leadId: '(512) 555-0142', phoneE164: '+15125550142' });
    expect(searchOf('+44 20 7946 0958', 'US').phoneE164).toBe('+442079460958');
  });

  it('is only a lead id when the text is neither', () => {
    expect(searchOf('rdc-lead-42', 'US')).toEqual({ leadId: 'rdc-lead-42' });
  });
});
