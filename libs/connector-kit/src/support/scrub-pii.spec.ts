import { scrubPii } from './scrub-pii';

describe('scrubPii', () => {
  it('masks emails and phone numbers inside CRM messages', () => {
    expect(scrubPii('Duplicate IDs found in batch input: [jane.doe@example.com]')).toBe(
      'Duplicate IDs found in batch input: [j***@e***.com]',
    );
    expect(scrubPii('Phone (512) 555-0142 is invalid; also +1 512 555 0199')).toBe(
      'Phone ***42 is invalid; also ***99',
    );
  });

  it('leaves dates, times, ids and counts alone', () => {
    const text = 'lead lead-123-4567 at 2026-01-01T12:00:00Z failed 3 times (HTTP 503)';
    expect(scrubPii(text)).toBe(text);
  });
});
