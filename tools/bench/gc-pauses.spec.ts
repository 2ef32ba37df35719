import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gcPausesBetween, gcPausesEnv } from './gc-pauses';

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

  const runPreloaded = (file: string, script: string) => {
    const started = Date.now();
    try {
      execFileSync(process.execPath, ['--expose-gc', '-e', script], {
        env: { ...process.env, ...gcPausesEnv(file) },
      });
    } catch {
      // killed by the script itself
    }
    return gcPausesBetween(file, started, Date.now() + 1);
  };

  it('records the collections of a process it is preloaded into, written as it exits', () => {
    // Node hands a collection to observers on a later turn of the event loop: the process lives on a little.
    const pauses = runPreloaded(join(dir, 'exits.jsonl'), 'global.gc(); setTimeout(() => {}, 50);');
    expect(pauses.majorPerSecond).toBeGreaterThan(0);
    expect(pauses.longestPauseMs).toBeGreaterThan(0);
  });

  it('has written them by a flush interval later, for a process that ends without exiting', () => {
    const pauses = runPreloaded(
      join(dir, 'killed.jsonl'),
      "global.gc(); setTimeout(() => process.kill(process.pid, 'SIGKILL'), 600);",
    );
    expect(pauses.majorPerSecond).toBeGreaterThan(0);
  });
});
