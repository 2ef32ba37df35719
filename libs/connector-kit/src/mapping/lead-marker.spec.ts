import { carriesLeadMarker, leadMarker } from './lead-marker';

describe('lead marker', () => {
  it('is one stable line naming the lead', () => {
    expect(leadMarker('abc-123')).toBe('Realtor.com lead id: abc-123');
  });

  it.each([
    ['the Description the connector writes', 'Message: hi\nScore 84\nRealtor.com lead id: L-1', true],
    ['lines a user added after it, Windows line ends', 'Realtor.com lead id: L-1 \r\nCalled back', true],
    ['another lead', 'Realtor.com lead id: L-10', false],
    ['a lead id that only starts the same', 'Realtor.com lead id: L-1x', false],
    ['the id inside a sentence', 'see Realtor.com lead id: L-1 above', false],
    ['no Description', null, false],
  ])('%s', (_case, description, expected) => {
    expect(carriesLeadMarker(description, 'L-1')).toBe(expected);
  });
});
