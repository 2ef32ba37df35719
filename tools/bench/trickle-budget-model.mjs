// A discrete-event model of one HubSpot portal at a trickle, for policies too slow to try by benchmark:
// leads arrive every GAP ms (plus up to ARRIVAL_JITTER), each delivery is a contact upsert then a notes call
// of CALL ms (plus up to CALL_JITTER), every call takes a unit of a fixed window of P units per W ms (the
// kit's plan, see libs/connector-kit/src/budget/window-plan.ts), and an account runs at most two
// deliveries, never two first calls at once (pipelined). RELEASE says when the next delivery may start:
// `ask` once the one in flight asks for its second unit (the kit), `grant` once it holds it.
// Prints POST → CRM record p50 and p99 over six seeds.
//   node tools/bench/trickle-budget-model.mjs [ask|grant] [W=271] [P=5]
const [release = 'ask', W = 271, P = 5] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v)));
const GAP = 100;
const ARRIVAL_JITTER = 20;
const CALL = 55;
const CALL_JITTER = 8;
const PIPELINE = 12; // gateway → enrichment → connector
const LEADS = 600;

function run(seed) {
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const events = [];
  let order = 0;
  const at = (time, action) => events.push({ time, order: order++, action });
  const used = new Map();
  const take = (time) => {
    const window = Math.floor(time / W);
    if ((used.get(window) ?? 0) >= P) return false;
    used.set(window, (used.get(window) ?? 0) + 1);
    return true;
  };
  const nextWindow = (time) => (Math.floor(time / W) + 1) * W;
  const queue = [];
  const latencies = [];
  let unreleased = 0;
  let inFlight = 0;
  let waitingForUnit = false;

  function dispatch(time) {
    if (queue.length === 0 || unreleased > 0 || inFlight >= 2 || waitingForUnit) return;
    if (!take(time)) {
      waitingForUnit = true;
      at(nextWindow(time), (next) => {
        waitingForUnit = false;
        dispatch(next);
      });
      return;
    }
    const batch = queue.splice(0, 100);
    unreleased += 1;
    inFlight += 1;
    const releaseAccount = (now) => {
      unreleased -= 1;
      dispatch(now);
    };
    at(time + CALL + random() * CALL_JITTER, (upserted) => {
      if (release === 'ask') releaseAccount(upserted);
      const notes = (now) => {
        if (!take(now)) return at(nextWindow(now) + 0.5, notes);
        if (release === 'grant') releaseAccount(now);
        at(now + CALL + random() * CALL_JITTER, (done) => {
          inFlight -= 1;
          for (const postedAt of batch) latencies.push(done - postedAt);
          dispatch(done);
        });
      };
      notes(upserted);
    });
  }

  for (let lead = 0; lead < LEADS; lead += 1) {
    const postedAt = lead * GAP + random() * ARRIVAL_JITTER;
    at(postedAt + PIPELINE, (time) => {
      queue.push(postedAt);
      dispatch(time);
    });
  }
  while (events.length > 0) {
    events.sort((a, b) => a.time - b.time || a.order - b.order);
    const { time, action } = events.shift();
    action(time);
  }
  latencies.sort((a, b) => a - b);
  const percentile = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return [percentile(50), percentile(99)];
}

const runs = [3, 7, 11, 13, 17, 19].map(run);
const format = (values) => values.map((value) => value.toFixed(0)).join(' ');
console.log(`release=${release}, ${P} units per ${W} ms`);
console.log(`p50 ms: ${format(runs.map(([p50]) => p50))}`);
console.log(`p99 ms: ${format(runs.map(([, p99]) => p99))}`);
