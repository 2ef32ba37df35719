import { leadMarker } from '@lead-delivery/connector-kit';
import { noteCarriesLeadMarker as carriesLeadMarker } from './lead-marker';

const L1 = { accountId: 'acct-agent', leadId: 'L-1' };

describe('lead marker', () => {
  it("is one stable line naming the account's lead", () => {
    expect(leadMarker({ accountId: 'acct-austin', leadId: 'abc-123' })).toBe(
      'Realtor.com lead id: abc-123 (account acct-austin)',
    );
  });

  it.each([
    [
      'the body the connector writes',
      'Message: hi<br>Score 84<br>Realtor.com lead id: L-1 (account acct-agent)',
      true,
    ],
    ['the marker anywhere as a line', 'Realtor.com lead id: L-1 (account acct-agent)<br/>edited below', true],
    [
      'a body a user rewrapped in paragraphs',
      '<p>Message: hi</p><p>Realtor.com lead id: L-1 (account acct-agent)&nbsp;</p>',
      true,
    ],
    [
      'a body rewrapped in divs with styles',
      '<div style="x">Realtor.com lead id: L-1 (account acct-agent)</div>',
      true,
    ],
    ['the same lead of another account', 'Realtor.com lead id: L-1 (account acct-brokerage)', false],
    ['the marker written before leads were named with their account', 'Realtor.com lead id: L-1', false],
    ['another lead', 'Realtor.com lead id: L-10 (account acct-agent)', false],
    ['a lead id that only starts the same', 'Realtor.com lead id: L-1x (account acct-agent)', false],
    ['the id quoted inside a sentence', 'see Realtor.com lead id: L-1 (account acct-agent) above', false],
    ['no marker', 'Realtor.com inquiry L-1 (2026-03-01T10:00:00.000Z)', false],
  ])('%s: %s', (_case, body, expected) => {
    expect(carriesLeadMarker(body, L1)).toBe(expected);
  });

  it('reads escaped characters of the lead id back', () => {
    const lead = { accountId: 'acct-agent', leadId: 'a&b<c>"d\'' };
    const escaped = 'a&amp;b&lt;c&gt;&quot;d&#39; (account acct-agent)';
    expect(carriesLeadMarker(`x<br>Realtor.com lead id: ${escaped}`, lead)).toBe(true);
    expect(
      carriesLeadMarker(
        'x<br>Realtor.com lead id: a&#x26;b&lt;c&gt;&quot;d&apos; (account acct-agent)',
        lead,
      ),
    ).toBe(true);
    expect(carriesLeadMarker('x<br>Realtor.com lead id: a&amp;b (account acct-agent)', lead)).toBe(false);
  });
});
