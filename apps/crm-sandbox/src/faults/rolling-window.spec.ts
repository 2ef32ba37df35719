import { RollingWindow } from './rolling-window';

const TEN_SECONDS = 10_000;

describe('RollingWindow', () => {
  it('counts only the events of the last window', () => {
    const window = new RollingWindow();
    for (const now of [0, 4_000, 9_999]) window.add(now);
    expect(window.count(TEN_SECONDS, 9_999)).toBe(3);
    expect(window.count(TEN_SECONDS, 10_000)).toBe(2);
    expect(window.count(TEN_SECONDS, 19_999)).toBe(0);
  });

  it('says how long until one more event fits under the maximum', () => {
    const window = new RollingWindow();
    for (const now of [1_000, 2_000, 3_000]) window.add(now);
    expect(window.waitMs(4, TEN_SECONDS, 5_000)).toBe(0);
    expect(window.waitMs(3, TEN_SECONDS, 5_000)).toBe(6_000);
    expect(window.waitMs(2, TEN_SECONDS, 5_000)).toBe(7_000);
    expect(window.waitMs(3, TEN_SECONDS, 11_000)).toBe(0);
  });

  it('keeps counting right across many events (a rolling 24 h allocation)', () => {
    const day = 24 * 60 * 60 * 1000;
    const window = new RollingWindow();
    for (let event = 0; event < 5_000; event++) window.add(event * 60_000);
    const now = 4_999 * 60_000;
    expect(window.count(day, now)).toBe(day / 60_000);
    window.clear();
    expect(window.count(day, now)).toBe(0);
  });
});
