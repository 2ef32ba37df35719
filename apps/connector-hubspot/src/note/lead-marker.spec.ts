import { leadMarker } from '@lead-delivery/connector-kit';
import { noteCarriesLeadMarker as carriesLeadMarker } from './lead-marker';

describe('lead marker', () => {
  it('is one stable line naming the lead', () => {
    expect(leadMarker('abc-123')).toBe('Realtor.com lead id: abc-123');
  });

  it.each([
    ['the body the connector writes', 'Message: hi<br>Score 84<br>Realtor.com lead id: L-1', true],
    ['the marker anywhere as a line', 'Realtor.com lead id: L-1<br/>edited below', true],
    [
      'a body a user rewrapped in paragraphs',
      '<p>Message: hi</p><p>Realtor.com lead id: L-1&nbsp;</p>',
      true,
    ],
    ['a body rewrapped in divs with styles', '<div style="x">Realtor.com lead id: L-1</div>', true],
    ['another lead', 'Realtor.com lead id: L-10', false],
    ['a lead id that only starts the same', 'Realtor.com lead id: L-1x', false],
    ['the id quoted inside a sentence', 'see Realtor.com lead id: L-1 above', false],
    ['no marker', 'Realtor.com inquiry L-1 (2026-03-01T10:00:00.000Z)', false],
  ])('%s: %s', (_case, body, expected) => {
    expect(carriesLeadMarker(body, 'L-1')).toBe(expected);
  });

  it('reads escaped characters of the lead id back', () => {
    const id = 'a&b<c>"d\'';
    expect(carriesLeadMarker('x<br>Realtor.com lead id: a&amp;b&lt;c&gt;&quot;d&#39;', id)).toBe(true);
    expect(carriesLeadMarker('x<br>Realtor.com lead id: a&#x26;b&lt;c&gt;&quot;d&apos;', id)).toBe(true);
    expect(carriesLeadMarker('x<br>Realtor.com lead id: a&amp;b', id)).toBe(false);
  });
});
