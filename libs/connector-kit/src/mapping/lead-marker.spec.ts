import { anEnrichedLead } from '@lead-delivery/testing';
import { carriesLeadMarker, leadMarker, leadRefOf } from './lead-marker';

const L1 = { accountId: 'acct-agent', leadId: 'L-1' };

describe('lead marker', () => {
  it("is one stable line naming the account's lead", () => {
    expect(leadMarker({ accountId: 'acct-austin', leadId: 'abc-123' })).toBe(
      'Realtor.com lead id: abc-123 (account acct-austin)',
    );
  });

  it('names the lead of an enriched event by its routed account', () => {
    const event = anEnrichedLead('acct-dallas');
    expect(leadRefOf(event)).toEqual({ accountId: 'acct-dallas', leadId: event.lead.lead_id });
  });

  it.each([
    [
      'the Description the connector writes',
      'Message: hi\nScore 84\nRealtor.com lead id: L-1 (account acct-agent)',
      true,
    ],
    [
      'lines a user added after it, Windows line ends',
      'Realtor.com lead id: L-1 (account acct-agent) \r\nCalled back',
      true,
    ],
    ['the same lead of another account', 'Realtor.com lead id: L-1 (account acct-brokerage)', false],
    ['the marker written before leads were named with their account', 'Realtor.com lead id: L-1', false],
    ['another lead', 'Realtor.com lead id: L-10 (account acct-agent)', false],
    ['a lead id that only starts the same', 'Realtor.com lead id: L-1x (account acct-agent)', false],
    ['the id inside a sentence', 'see Realtor.com lead id: L-1 (account acct-agent) above', false],
    ['no Description', null, false],
  ])('%s', (_case, description, expected) => {
    expect(carriesLeadMarker(description, L1)).toBe(expected);
  });
});
