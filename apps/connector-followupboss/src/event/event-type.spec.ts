import { anEnrichedLead as anyEnrichedLead } from '@lead-delivery/testing';
import { inquiryKindOf } from './event-type';

describe('inquiryKindOf', () => {
  const lead = () => anyEnrichedLead('acct-1').lead;

  it('a buyer asking about a listing makes a property inquiry', () => {
    expect(inquiryKindOf(lead())).toBe('property');
    expect(inquiryKindOf({ ...lead(), property: { mls_id: 'TX-1' } })).toBe('property');
  });

  it('a seller makes a seller inquiry, with or without a listing', () => {
    expect(inquiryKindOf({ ...lead(), role: 'seller' })).toBe('seller');
    expect(inquiryKindOf({ ...lead(), role: 'seller', property: undefined })).toBe('seller');
  });

  it('a message without a listing is a general inquiry; neither is a registration', () => {
    expect(inquiryKindOf({ ...lead(), property: { city: 'Austin' }, message: 'Any 3-bed homes?' })).toBe(
      'general',
    );
    expect(inquiryKindOf({ ...lead(), property: undefined, message: '  ' })).toBe('registration');
  });
});
