import { filterFromParams, paramsFromForm } from './lead-filter';

describe('lead filter', () => {
  it('keeps only filled-in fields, trimmed', () => {
    expect(paramsFromForm({ q: ' maria ', account: '', tier: 'hot', status: '' }).toString()).toBe(
      'q=maria&tier=hot',
    );
  });

  it('reads the filter from the URL, times as ISO date-times, with the cursor', () => {
    const filter = filterFromParams(
      new URLSearchParams('q=maria&since=2026-12-01T08:00&cursor=abc&unknown=1'),
    );
    expect(filter).toEqual({ q: 'maria', since: new Date('2026-12-01T08:00').toISOString(), cursor: 'abc' });
  });
});
