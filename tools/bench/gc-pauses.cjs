// Preloaded (`--require`) into a benchmarked server: appends each garbage collection it runs to
// GC_PAUSES_FILE as a JSON line `{"at": epoch ms of its start, "major": bool, "ms": its pause}`, so that a
// bench can tell which pauses fell in which phase. Lines are buffered and written every GC_PAUSES_FLUSH_MS (a
// write per collection would add its own pauses to what is measured) and at a normal exit; a server that
// re-raises SIGTERM ends without one, so the bench waits for a flush before stopping it.
const { appendFileSync } = require('node:fs');
const { PerformanceObserver, constants, performance } = require('node:perf_hooks');

const file = process.env.GC_PAUSES_FILE;
if (file) {
  let lines = '';
  const flush = () => {
    if (lines === '') return;
    appendFileSync(file, lines);
    lines = '';
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const at = Math.round(performance.timeOrigin + entry.startTime);
      const major = entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      lines += `${JSON.stringify({ at, major, ms: Number(entry.duration.toFixed(2)) })}\n`;
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(flush, Number(process.env.GC_PAUSES_FLUSH_MS)).unref();
  process.on('exit', flush);
}
