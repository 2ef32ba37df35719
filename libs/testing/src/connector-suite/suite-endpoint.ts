import type {
  CrmSandboxClient,
  SandboxCounts,
  SandboxCrm,
  SandboxLostAnswers,
  SandboxRequestLogEntry,
} from '../crm-sandbox-client';

/**
 * A CRM endpoint: its name in the sandbox's request log (e.g. `hubspot.notes.batch-create`), or, for a
 * fake CRM that names none (its calls are logged as `<crm>.unknown`), the method and path of its calls.
 */
export type SuiteEndpoint = string | { method: string; path: RegExp };

export function isCallTo(endpoint: SuiteEndpoint, entry: SandboxRequestLogEntry): boolean {
  if (typeof endpoint === 'string') return entry.endpoint === endpoint;
  return entry.method === endpoint.method && endpoint.path.test(entry.path);
}

/** The calls of `crm` (of one tenant, when given) to `endpoint`, counted as the sandbox counts them. */
export async function callsTo(
  client: CrmSandboxClient,
  crm: SandboxCrm,
  endpoint: SuiteEndpoint,
  tenant?: string,
): Promise<SandboxCounts> {
  const scope = tenant === undefined ? {} : { tenant };
  if (typeof endpoint === 'string') return client.requestCounts({ endpoint, ...scope });
  const { entries } = await client.requests({ crm, ...scope, limit: 100_000 });
  const counts: SandboxCounts = { total: 0, records: 0, byStatus: {}, byFault: {} };
  for (const entry of entries.filter((candidate) => isCallTo(endpoint, candidate))) {
    counts.total += 1;
    counts.records += entry.records ?? 0;
    counts.byStatus[entry.status] = (counts.byStatus[entry.status] ?? 0) + 1;
    if (entry.fault) counts.byFault[entry.fault] = (counts.byFault[entry.fault] ?? 0) + 1;
  }
  return counts;
}

/**
 * Lost answers of calls to `endpoint`. A fake CRM whose endpoints have no names cannot be told which call:
 * the next calls lose their answers, whichever endpoint they are to.
 */
export const lostAnswersOf = (
  endpoint: SuiteEndpoint,
  lost: Omit<SandboxLostAnswers, 'endpoint'>,
): SandboxLostAnswers => (typeof endpoint === 'string' ? { ...lost, endpoint } : lost);
