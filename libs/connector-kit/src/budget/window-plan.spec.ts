import { planWindows } from './window-plan';

/** The most calls the plan lets through in any rolling `intervalMs`, when every window is used to the full. */
function worstRollingCount(plan: { points: number; windowMs: number }, intervalMs: number): number {
  let worst = 0;
  // Windows back to back from 0; a rolling interval (start, start + intervalMs] at every offset.
  for (let start = -plan.windowMs; start < 3 * plan.windowMs; start += plan.windowMs / 50) {
    let count = 0;
    for (let window = 0; window * plan.windowMs <= start + intervalMs + plan.windowMs; window += 1) {
      const from = window * plan.windowMs;
      const to = from + plan.windowMs;
      // Calls in [from, to) and a rolling interval (start, start + intervalMs]; 1e-6 absorbs float rounding.
      if (to - start > 1e-6 && from - (start + intervalMs) <= 1e-6) count += plan.points;
    }
    worst = Math.max(worst, count);
  }
  return worst;
}

describe('planWindows', () => {
  it("keeps HubSpot's 190 calls per rolling 10 s even when calls bunch at window boundaries", () => {
    const plan = planWindows(190, 10_000);
    expect(plan).toEqual({ points: 5, windowMs: 271 });
    expect(worstRollingCount(plan, 10_000)).toBeLessThanOrEqual(190);
    // 97 % of the limit is usable.
    expect(Math.round((plan.points * 10_000) / plan.windowMs)).toBe(185);
  });

  it.each([
    [100, 10_000],
    [250, 10_000],
    [2, 10_000],
    [7, 1_000],
    [1_000, 60_000],
  ])('never lets more than %i calls through in a rolling %i ms', (max, intervalMs) => {
    const plan = planWindows(max, intervalMs);
    expect(plan.points).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(plan.windowMs)).toBe(true);
    expect(worstRollingCount(plan, intervalMs)).toBeLessThanOrEqual(max);
  });

  it('refuses a budget too small to split', () => {
    expect(() => planWindows(1, 10_000)).toThrow(RangeError);
  });
});
