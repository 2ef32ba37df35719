import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GC_PAUSES_PRELOAD, gcPausesBetween } from './gc-pauses';

describe('gc pauses of a benchmarked server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-pauses-'));

  it('counts the mark-compacts per second and the longest pause of a window only', () => {
    const file = join(dir, 'window.jsonl');
    const lines = [
      { at: 900, major: true, ms: 50 },
      { at: 1_000, major: false, ms: 1.5 },
      { at: 1_200, major: true, ms: 6.25 },
      { at: 2_500, major: true, ms: 3 },
      { at: 2_999, major: false, ms: 7 },
      { at: 3_000, major: true, ms: 40 },
    ];
    writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    expect(gcPausesBetween(file, 1_000, 3_000)).toEqual({ majorPerSecond: 1, longestPauseMs: 7 });
  });

  it('reports none for a server that recorded nothing', () => {
    expect(gcPausesBetween(join(dir, 'missing.jsonl'), 0, 1_000)).toEqual({
      majorPerSecond: 0,
      longestPauseMs: 0,
    });
  });

  it('records the collections of a process it is preloaded into, a forced mark-compact among them', () => {
    const file = join(dir, 'process.jsonl');
    const before = Date.now();
    execFileSync(
      process.execPath,
      [
        '--require',
        GC_PAUSES_PRELOAD,
        '--expose-gc',
        '-e',
        'global.gc(); global.gc(); setTimeout(() => {}, 50)',
      ],
      { env: { ...process.env, GC_PAUSES_FILE: file } },
    );
    const pauses = gcPausesBetween(file, before, Date.now() + 1);
    expect(pauses.majorPerSecond).toBeGreaterThan(0);
    expect(pauses.longestPauseMs).toBeGreaterThan(0);
  });
});
