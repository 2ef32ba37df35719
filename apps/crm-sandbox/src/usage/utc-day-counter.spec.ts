import { UtcDayCounter } from './utc-day-counter';

const at = (iso: string) => Date.parse(iso);

describe('UtcDayCounter', () => {
  it('counts the calls of the current UTC day and starts over at midnight', () => {
    const counter = new UtcDayCounter();
    counter.add(at('2026-05-01T00:00:00Z'));
    counter.add(at('2026-05-01T23:59:59.999Z'));
    expect(counter.count(at('2026-05-01T12:00:00Z'))).toBe(2);
    expect(counter.count(at('2026-05-02T00:00:00Z'))).toBe(0);
    counter.add(at('2026-05-02T00:00:01Z'));
    expect(counter.count(at('2026-05-02T08:00:00Z'))).toBe(1);
  });

  it('tells when the day resets', () => {
    const counter = new UtcDayCounter();
    expect(new Date(counter.resetsAt(at('2026-05-01T13:45:00Z'))).toISOString()).toBe(
      '2026-05-02T00:00:00.000Z',
    );
  });

  it('forgets everything when cleared', () => {
    const counter = new UtcDayCounter();
    counter.add(at('2026-05-01T10:00:00Z'));
    counter.clear();
    expect(counter.count(at('2026-05-01T10:00:00Z'))).toBe(0);
  });
});
