// The `history` and `faults` scenarios of `npm run bench:e2e` (issue 13, items 4 and 5).
//   history: people who already have BENCH_HISTORY_INQUIRIES (20) inquiries in both CRMs (HubSpot contact
//            + notes, Salesforce Lead + Tasks per person) send BENCH_HISTORY_LEADS (20,000) new ones, spread
//            over BENCH_HISTORY_PEOPLE (1,000): calls per lead and leads per write call per CRM.
//            Targets: HubSpot ≤ 0.03, Salesforce ≤ 0.01 calls per lead, leads per write call ≥ 90 / ≥ 180.
//            The connectors drain the leads as a backlog (stopped while they are posted and routed, then
//            started), as after a burst or an outage: calls per lead then measure what a lead costs, not how
//            fast leads happened to arrive (at a trickle, adaptive batching spends calls on speed to lead by
//            design). BENCH_HISTORY_BACKLOG=0 keeps the connectors running while posting instead.
//   faults:  a burst of BENCH_FAULTS_LEADS (6,000) leads without faults, then again with BENCH_FAULTS_RATE
//            (20 %) of CRM calls answered 429 or 503 (half each): delivered leads/s with faults as a share of
//            the fault-free run (target ≥ 50 %), dead letters (0) and duplicate notes/Tasks (0).
// BENCH_LEDGER_BASELINE=1 (set by bench-e2e on its pipeline) makes the ledger vouch for no lead, which is
// how the connectors behaved before it: every known person's notes / Tasks are read before writing.
import { anEnhancedLead, uniqueLeadId, type CrmSandboxClient } from '@lead-delivery/testing';
import { DEFAULT_ACCOUNT, type Pipeline } from '../e2e/pipeline';
import { mixedLead } from '../e2e/lead-load';

/** The CRMs these scenarios seed a history in and count calls of. */
type SandboxCrm = 'hubspot' | 'salesforce';
const CRMS: SandboxCrm[] = ['hubspot', 'salesforce'];
/**
 * The endpoints whose calls carry the leads themselves (Salesforce's new inquiries go in one Composite call
 * of their Leads and Tasks): leads per write call are counted on them.
 */
const WRITE_ENDPOINTS: Record<SandboxCrm, string[]> = {
  hubspot: ['hubspot.contacts.batch-upsert'],
  salesforce: ['salesforce.collections.upsert', 'salesforce.composite'],
};
const SEED_CHUNK = 100;
/** The connectors whose calls the scenarios count. */
const CONNECTOR_APPS = CRMS.map((crm) => `connector-${crm}`);

export interface HistorySettings {
  people: number;
  inquiries: number;
  leads: number;
  /** POSTs per second. */
  rate: number;
  /** Whether the connectors drain the leads as a backlog (stopped while they are posted). */
  backlog: boolean;
}

export const historySettings = (env = process.env): HistorySettings => ({
  people: Number(env['BENCH_HISTORY_PEOPLE'] ?? 1_000),
  inquiries: Number(env['BENCH_HISTORY_INQUIRIES'] ?? 20),
  leads: Number(env['BENCH_HISTORY_LEADS'] ?? 20_000),
  rate: Number(env['BENCH_HISTORY_POST_RATE'] ?? 400),
  backlog: env['BENCH_HISTORY_BACKLOG'] !== '0',
});

export interface FaultSettings {
  leads: number;
  faultRate: number;
  rate: number;
}

export const faultSettings = (env = process.env): FaultSettings => ({
  leads: Number(env['BENCH_FAULTS_LEADS'] ?? 6_000),
  faultRate: Number(env['BENCH_FAULTS_RATE'] ?? 0.2),
  rate: Number(env['BENCH_FAULTS_POST_RATE'] ?? 400),
});

export interface CallsResult {
  crm: SandboxCrm;
  delivered: number;
  calls: number;
  callsPerLead: number;
  leadsPerWriteCall: number;
  byEndpoint: Record<string, number>;
}

/**
 * The leads of one scenario run, by the prefix of their ids. A lead the gateway refused under load (503:
 * neither Kafka nor the outbox answered in time) may still reach Kafka, so the scenarios count every
 * lead of the run that entered the pipeline, not only those answered 2xx.
 */
const OF_RUN = `lead_id LIKE $1 || '-%'`;

/** Posts `leads` at `rate` per second, waiting for every answer; the ids of those accepted. */
async function postAll(
  pipeline: Pipeline,
  leads: Array<{ lead_id: string }>,
  rate: number,
): Promise<string[]> {
  const accepted: string[] = [];
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < leads.length; index += 1) {
    const due = started + (index / rate) * 1000;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const lead = leads[index] as { lead_id: string };
    inFlight.push(
      pipeline.post(lead).then(
        async (response) => {
          await response.arrayBuffer();
          if (response.ok) accepted.push(lead.lead_id);
        },
        () => undefined,
      ),
    );
  }
  await Promise.all(inFlight);
  return accepted;
}

/** Waits until enrichment has routed every accepted lead of the run. */
async function routed(pipeline: Pipeline, accepted: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await pipeline.query<{ routed: number }>(
      `SELECT count(*)::int AS routed FROM leads WHERE lead_id = ANY($1) AND destinations IS NOT NULL`,
      [accepted],
    );
    if (row?.routed === accepted.length) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`leads not routed after ${timeoutMs / 1000} s`);
}

/**
 * Waits until every accepted lead of the run is stored and every lead of the run has its routed
 * deliveries settled (delivered or dead-lettered).
 */
async function settled(
  pipeline: Pipeline,
  run: string,
  accepted: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Aggregated once per table: a subquery per lead made this quadratic (minutes at 20,000 leads).
    const [row] = await pipeline.query<{ pending: number; missing: number }>(
      `WITH settled AS (
         SELECT lead_id, count(*) AS deliveries FROM crm_deliveries
          WHERE ${OF_RUN} AND status IN ('delivered', 'dead_lettered') GROUP BY lead_id)
       SELECT (SELECT count(*)::int FROM leads l LEFT JOIN settled s USING (lead_id)
                WHERE l.${OF_RUN} AND (l.destinations IS NULL
                  OR cardinality(l.destinations) > coalesce(s.deliveries, 0))) AS pending,
              (SELECT $3::int - count(*)::int FROM leads WHERE lead_id = ANY($2)) AS missing`,
      [run, accepted, accepted.length],
    );
    if (row?.pending === 0 && row.missing === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  throw new Error(`leads still pending after ${timeoutMs / 1000} s`);
}

async function deliveredPerCrm(pipeline: Pipeline, run: string): Promise<Map<string, number>> {
  const rows = await pipeline.query<{ destination: string; delivered: number }>(
    `SELECT destination, count(*)::int AS delivered FROM crm_deliveries
      WHERE ${OF_RUN} AND status = 'delivered' GROUP BY destination`,
    [run],
  );
  return new Map(rows.map((row) => [row.destination, row.delivered]));
}

async function callsPerCrm(
  sandbox: CrmSandboxClient,
  delivered: Map<string, number>,
): Promise<CallsResult[]> {
  const results: CallsResult[] = [];
  for (const crm of CRMS) {
    const counts = await sandbox.requestCounts({ crm });
    const leads = delivered.get(crm) ?? 0;
    const writeCalls = WRITE_ENDPOINTS[crm].reduce(
      (sum, endpoint) => sum + (counts.byEndpoint[endpoint]?.total ?? 0),
      0,
    );
    results.push({
      crm,
      delivered: leads,
      calls: counts.total,
      callsPerLead: leads === 0 ? Number.NaN : counts.total / leads,
      leadsPerWriteCall: writeCalls > 0 ? leads / writeCalls : Number.NaN,
      byEndpoint: Object.fromEntries(Object.entries(counts.byEndpoint).map(([name, c]) => [name, c.total])),
    });
  }
  return results;
}

/** An enhanced (hot) lead of the bench account: routed to both CRMs. */
function personLead(email: string, prefix: string): { lead_id: string } {
  const lead = anEnhancedLead({ lead_id: uniqueLeadId(prefix) });
  const withPerson = { ...lead, contact: { ...lead.contact, email }, timestamp: new Date().toISOString() };
  return withPerson;
}

export async function history(pipeline: Pipeline, settings: HistorySettings): Promise<CallsResult[]> {
  const run = Date.now().toString(36);
  const emails = Array.from({ length: settings.people }, (_, index) => `history-${run}-${index}@example.com`);
  for (let start = 0; start < emails.length; start += SEED_CHUNK) {
    const people = emails.slice(start, start + SEED_CHUNK).map((email) => ({
      email,
      key: `${DEFAULT_ACCOUNT.id}:${email}`,
      leadIds: Array.from({ length: settings.inquiries }, () => uniqueLeadId('earlier')),
    }));
    for (const crm of CRMS)
      await pipeline.sandbox.seedHistory(crm, { accountId: DEFAULT_ACCOUNT.id, people });
  }
  await pipeline.sandbox.clearRequests();
  const prefix = `history-${run}`;
  const leads = Array.from({ length: settings.leads }, (_, index) =>
    personLead(emails[index % emails.length] as string, prefix),
  );
  if (settings.backlog) for (const name of CONNECTOR_APPS) await pipeline.stack.stop(name);
  const accepted = await postAll(pipeline, leads, settings.rate);
  if (settings.backlog) {
    await routed(pipeline, accepted, 600_000);
    for (const name of CONNECTOR_APPS) pipeline.stack.start(name);
    await Promise.all(CONNECTOR_APPS.map((name) => pipeline.stack.waitReady(name)));
  }
  await settled(pipeline, prefix, accepted, 900_000);
  return callsPerCrm(pipeline.sandbox, await deliveredPerCrm(pipeline, prefix));
}

export interface BurstResult {
  crm: SandboxCrm;
  delivered: number;
  seconds: number;
  leadsPerSecond: number;
  deadLettered: number;
  /** Notes (HubSpot) or Tasks (Salesforce) beyond one per delivered lead. */
  duplicates: number;
}

async function activities(sandbox: CrmSandboxClient): Promise<Record<SandboxCrm, number>> {
  const summary = await sandbox.summary();
  return {
    hubspot: summary.hubspot.portals.reduce((sum, portal) => sum + portal.notes, 0),
    salesforce: summary.salesforce.orgs.reduce((sum, org) => sum + org.tasks, 0),
  };
}

/** One burst of fresh people; delivered leads per second from the first POST to the last delivery, per CRM. */
async function burst(pipeline: Pipeline, settings: FaultSettings, name: string): Promise<BurstResult[]> {
  const prefix = `${name}-${Date.now().toString(36)}`;
  const before = await activities(pipeline.sandbox);
  const leads = Array.from(
    { length: settings.leads },
    (_, index) => mixedLead(index, prefix) as { lead_id: string },
  );
  const started = new Date();
  const accepted = await postAll(pipeline, leads, settings.rate);
  await settled(pipeline, prefix, accepted, 1_800_000);
  const after = await activities(pipeline.sandbox);
  const rows = await pipeline.query<{
    destination: SandboxCrm;
    delivered: number;
    dead: number;
    last: Date | null;
  }>(
    `SELECT destination,
            count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE status = 'dead_lettered')::int AS dead,
            max(delivered_at) AS last
       FROM crm_deliveries WHERE ${OF_RUN} GROUP BY destination`,
    [prefix],
  );
  return CRMS.map((crm) => {
    const row = rows.find((candidate) => candidate.destination === crm);
    const seconds = row?.last ? (row.last.getTime() - started.getTime()) / 1000 : Number.NaN;
    const delivered = row?.delivered ?? 0;
    return {
      crm,
      delivered,
      seconds,
      leadsPerSecond: delivered / seconds,
      deadLettered: row?.dead ?? 0,
      duplicates: after[crm] - before[crm] - delivered,
    };
  });
}

export async function faults(
  pipeline: Pipeline,
  settings: FaultSettings,
): Promise<{ clean: BurstResult[]; faulty: BurstResult[] }> {
  const clean = await burst(pipeline, settings, 'burst-clean');
  for (const crm of CRMS) {
    await pipeline.sandbox.setFaults(crm, {
      errors: [
        { status: 429, rate: settings.faultRate / 2, retryAfterSeconds: 1 },
        { status: 503, rate: settings.faultRate / 2 },
      ],
      seed: 13,
    });
  }
  try {
    return { clean, faulty: await burst(pipeline, settings, 'burst-faults') };
  } finally {
    for (const crm of CRMS) await pipeline.sandbox.clearFaults(crm);
  }
}

export function reportHistory(settings: HistorySettings, results: CallsResult[], baseline: boolean): void {
  console.log(
    `\nhistory${baseline ? ' (BASELINE: ledger vouching for no lead, as before it)' : ''}: ${settings.leads} leads from ${settings.people} people with ${settings.inquiries} earlier inquiries each in both CRMs, ${settings.backlog ? 'drained as a backlog' : `delivered while posted at ${settings.rate}/s`}\n`,
  );
  console.log(
    '| CRM | delivered | calls | calls per lead | target | leads per write call | calls by endpoint |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  const target: Record<SandboxCrm, number> = { hubspot: 0.03, salesforce: 0.01 };
  for (const r of results) {
    const endpoints = Object.entries(r.byEndpoint)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    console.log(
      `| ${r.crm} | ${r.delivered} | ${r.calls} | ${r.callsPerLead.toFixed(4)} | ≤ ${target[r.crm]} | ${r.leadsPerWriteCall.toFixed(1)} | ${endpoints} |`,
    );
  }
}

export function reportFaults(
  settings: FaultSettings,
  { clean, faulty }: { clean: BurstResult[]; faulty: BurstResult[] },
): void {
  console.log(
    `\nfaults: bursts of ${settings.leads} leads posted at ${settings.rate}/s; ${settings.faultRate * 100} % of CRM calls answered 429 (Retry-After 1 s) or 503\n`,
  );
  console.log(
    '| CRM | fault-free leads/s | with faults leads/s | share (target ≥ 50 %) | delivered | dead-lettered | duplicates |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const crm of CRMS) {
    const a = clean.find((r) => r.crm === crm);
    const b = faulty.find((r) => r.crm === crm);
    if (!a || !b) continue;
    console.log(
      `| ${crm} | ${a.leadsPerSecond.toFixed(1)} | ${b.leadsPerSecond.toFixed(1)} | ${((b.leadsPerSecond / a.leadsPerSecond) * 100).toFixed(0)} % | ${b.delivered} | ${b.deadLettered} | ${b.duplicates} |`,
    );
  }
}
