import { personKeyOf } from './person-key.util';

describe('personKeyOf', () => {
  it('is the same for one person whatever lead or account they asked, so consumers scope it by account', () => {
    const maria = { email: 'maria@example.com', phone_e164: '+15125550142' };
    expect(personKeyOf(maria, 'lead-to-the-agent')).toBe(personKeyOf(maria, 'lead-to-the-brokerage'));
  });

  it('falls back to the phone, then to the lead itself', () => {
    expect(personKeyOf({ email: '', phone_e164: '+15125550142' }, 'lead-7')).toBe('+15125550142');
    expect(personKeyOf({ email: '' }, 'lead-7')).toBe('lead:lead-7');
  });
});
