// The `replicas` scenario of bench:e2e (issue 13): the stack's connectors are replaced by 3 replicas of
// each (one consumer group each, call budgets shared through the connector store), the HubSpot portal at
// the sandbox's 190 calls per rolling 10 s, and every lead in a call of its own (CONNECTOR_MAX_BATCH_SIZE=1:
// 2 HubSpot calls per new person) so that the portal's limit, not the pipeline, bounds the drain.
// Reports the 429s the CRMs answered (target 0) and the drain time (first POST → last lead in HubSpot)
// against the limit-bound time: the portal's calls at its sustained rate, calls × window / max (target:
// within 15 %).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad } from '../e2e/lead-load';
import { ROOT, type Pipeline } from '../e2e/pipeline';

const CONNECTORS = ['connector-hubspot', 'connector-salesforce'] as const;
export const REPLICAS_LEADS = Number(process.env['BENCH_REPLICAS_LEADS'] ?? 1_000);
const REPLICAS = 3;
const POST_RATE = 200;
const TARGET_RATIO = 1.15;

export interface ReplicasResult {
  leads: number;
  hubspotCalls: number;
  /** 429 answers of each CRM; Salesforce's limit answers are 403 REQUEST_LIMIT_EXCEEDED, counted with them. */
  refused: { hubspot: number; salesforce: number };
  limit: { max: number; windowMs: number };
  drainMs: number;
  limitBoundMs: number;
  phases: DrainPhases;
}

/** Where the drain time goes, from the sandbox's log of HubSpot calls (each call's start: answer − duration). */
interface DrainPhases {
  /** First POST → first HubSpot call: the pipeline's latency before the portal's limit applies. */
  intakeMs: number;
  /** First → last HubSpot call: the part the portal's limit bounds. */
  callsMs: number;
  /** Last HubSpot call → last lead recorded delivered. */
  tailMs: number;
  /** Most HubSpot calls started in any rolling window of the portal's limit (at most its max). */
  peakPerWindow: number;
  /**
   * Fewest calls in a whole window, counting back to back from the first call: well below the budget's
   * rate, the replicas, not the portal's limit, were the bound then (e.g. a loaded machine).
   */
  slowestWindow: number;
}

function drainPhases(
  callStarts: number[],
  windowMs: number,
  startedAt: number,
  drainedAt: number,
): DrainPhases {
  const starts = [...callStarts].sort((a, b) => a - b);
  const first = starts[0] ?? startedAt;
  const last = starts[starts.length - 1] ?? drainedAt;
  let peakPerWindow = 0;
  for (let end = 0, begin = 0; end < starts.length; end += 1) {
    while ((starts[end] as number) - (starts[begin] as number) >= windowMs) begin += 1;
    peakPerWindow = Math.max(peakPerWindow, end - begin + 1);
  }
  const whole = Math.floor((last - first) / windowMs);
  const perWindow = Array.from<number>({ length: whole }).fill(0);
  for (const start of starts) {
    const index = Math.floor((start - first) / windowMs);
    if (index < whole) perWindow[index] = (perWindow[index] ?? 0) + 1;
  }
  const slowestWindow = whole > 0 ? Math.min(...perWindow) : starts.length;
  return {
    intakeMs: first - startedAt,
    callsMs: last - first,
    tailMs: drainedAt - last,
    peakPerWindow,
    slowestWindow,
  };
}

interface Replica {
  name: string;
  child: ChildProcess;
  ready: string;
}

function startReplica(pipeline: Pipeline, name: string, index: number, port: number): Replica {
  const service = pipeline.stack.services.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`no service ${name}`);
  const logDir = join(ROOT, '.cache', 'e2e', 'bench-e2e');
  mkdirSync(logDir, { recursive: true });
  const output = createWriteStream(join(logDir, `${name}-replica-${index}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [service.script], {
    cwd: ROOT,
    env: { ...process.env, ...service.env, PORT: String(port), CONNECTOR_MAX_BATCH_SIZE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(output);
  child.stderr?.pipe(output);
  return { name, child, ready: `http://127.0.0.1:${port}/health/ready` };
}

async function waitReady(replica: Replica, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (replica.child.exitCode !== null) throw new Error(`${replica.name} replica exited`);
    if ((await fetch(replica.ready).catch(() => undefined))?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${replica.name} replica not ready (${replica.ready})`);
}

async function stopReplica({ child }: Replica): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(kill);
}

/**
 * When the last of `leadIds` routed to HubSpot reached it (the connector's delivered_at), once every lead
 * is routed and those are delivered.
 */
async function lastHubspotDelivery(pipeline: Pipeline, leadIds: string[]): Promise<number> {
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    const [row] = await pipeline.query<{
      routed: number;
      unrouted: number;
      delivered: number;
      last: Date | null;
    }>(
      `SELECT count(*) FILTER (WHERE 'hubspot' = ANY(l.destinations))::int AS routed,
              (${leadIds.length} - count(l.destinations))::int AS unrouted,
              (SELECT count(*)::int FROM crm_deliveries d WHERE d.lead_id = ANY($1)
                 AND d.destination = 'hubspot' AND d.status = 'delivered') AS delivered,
              (SELECT max(delivered_at) FROM crm_deliveries d WHERE d.lead_id = ANY($1)
                 AND d.destination = 'hubspot' AND d.status = 'delivered') AS last
         FROM leads l WHERE l.lead_id = ANY($1)`,
      [leadIds],
    );
    if (row && row.unrouted === 0 && row.delivered >= row.routed && row.last) return row.last.getTime();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error('the replicas scenario did not drain within 15 minutes');
}

export async function replicasScenario(pipeline: Pipeline, basePort: number): Promise<ReplicasResult> {
  const { stack, sandbox } = pipeline;
  for (const name of CONNECTORS) await stack.stop(name);
  const replicas = CONNECTORS.flatMap((name, connector) =>
    Array.from({ length: REPLICAS }, (_, index) =>
      startReplica(pipeline, name, index, basePort + connector * REPLICAS + index),
    ),
  );
  try {
    await Promise.all(replicas.map((replica) => waitReady(replica)));
    // Let the groups settle with all replicas before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await sandbox.resetUsage();
    await sandbox.clearRequests();

    const startedAt = Date.now();
    const load = await runLoad({
      post: (lead) => pipeline.post(lead),
      ratePerSecond: POST_RATE,
      durationMs: (REPLICAS_LEADS / POST_RATE) * 1000,
      prefix: 'replicas',
    });
    const drainedAt = await lastHubspotDelivery(pipeline, load.accepted);

    const [portal] = await sandbox.hubspotUsage();
    const [org] = await sandbox.salesforceUsage();
    const [hubspotCounts, salesforceCounts, hubspotLog] = await Promise.all([
      sandbox.requestCounts({ crm: 'hubspot' }),
      sandbox.requestCounts({ crm: 'salesforce' }),
      sandbox.requests({ crm: 'hubspot', limit: 1_000_000 }),
    ]);
    const limit = portal?.tenSecondly ?? { max: 190, windowMs: 10_000 };
    const hubspotCalls = portal?.calls.total ?? 0;
    return {
      leads: load.accepted.length,
      hubspotCalls,
      refused: {
        hubspot: hubspotCounts.byStatus['429'] ?? 0,
        salesforce:
          (salesforceCounts.byStatus['429'] ?? 0) + (org?.calls.rejected.REQUEST_LIMIT_EXCEEDED ?? 0),
      },
      limit,
      drainMs: drainedAt - startedAt,
      limitBoundMs: (hubspotCalls * limit.windowMs) / limit.max,
      phases: drainPhases(
        hubspotLog.entries.map((entry) => Date.parse(entry.at) - entry.durationMs),
        limit.windowMs,
        startedAt,
        drainedAt,
      ),
    };
  } finally {
    await Promise.all(replicas.map(stopReplica));
    for (const name of CONNECTORS) stack.start(name);
    await Promise.all(CONNECTORS.map((name) => stack.waitReady(name)));
  }
}

export function reportReplicas(result: ReplicasResult): void {
  const ratio = result.drainMs / result.limitBoundMs;
  console.log(
    `\nreplicas: ${REPLICAS} replicas of each connector, HubSpot portal at ${result.limit.max} calls per ${result.limit.windowMs / 1000} s, one lead per call\n`,
  );
  console.log(
    '| leads | HubSpot calls | 429s HubSpot / Salesforce (target 0) | drain s | limit-bound s | drain / bound (target ≤ 1.15) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${result.leads} | ${result.hubspotCalls} | ${result.refused.hubspot} / ${result.refused.salesforce} | ${(result.drainMs / 1000).toFixed(1)} | ${(result.limitBoundMs / 1000).toFixed(1)} | ${ratio.toFixed(3)} ${ratio <= TARGET_RATIO && result.refused.hubspot === 0 ? '(met)' : '(missed)'} |`,
  );
  const { intakeMs, callsMs, tailMs, peakPerWindow, slowestWindow } = result.phases;
  const sustained = ((result.hubspotCalls - 1) * result.limit.windowMs) / Math.max(1, callsMs);
  console.log(
    `\nwhere the drain goes: first POST → first HubSpot call ${(intakeMs / 1000).toFixed(1)} s, first → last call ${(callsMs / 1000).toFixed(1)} s (${sustained.toFixed(1)} calls per ${result.limit.windowMs / 1000} s, at most ${peakPerWindow} in any rolling window, ${slowestWindow} in the slowest whole one), last call → last lead delivered ${(tailMs / 1000).toFixed(1)} s`,
  );
}
