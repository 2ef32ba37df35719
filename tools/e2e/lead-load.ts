import { aStandardLead, anEnhancedLead, uniqueLeadId } from '@lead-delivery/testing';

export interface LoadResult {
  /** lead_id of every lead answered 2xx. */
  accepted: string[];
  /** Answers that were not 2xx (e.g. 503 while nothing durable was reachable), and transport errors. */
  refused: number;
  latenciesMs: number[];
}

/** An even mix of enhanced (hot: both CRMs) and standard leads of the Austin account, timestamped now. */
export function mixedLead(index: number, prefix: string): object {
  const leadId = uniqueLeadId(prefix);
  const lead = index % 2 === 0 ? anEnhancedLead({ lead_id: leadId }) : aStandardLead({ lead_id: leadId });
  return { ...lead, timestamp: new Date().toISOString() };
}

/**
 * Posts leads at a fixed rate for a fixed time (each in its own request, not waiting for the previous),
 * then waits for the answers.
 */
export async function runLoad({
  post,
  ratePerSecond,
  durationMs,
  prefix,
}: {
  post(lead: object): Promise<Response>;
  ratePerSecond: number;
  durationMs: number;
  prefix: string;
}): Promise<LoadResult> {
  const result: LoadResult = { accepted: [], refused: 0, latenciesMs: [] };
  const inFlight: Promise<void>[] = [];
  const started = Date.now();
  let sent = 0;
  while (Date.now() - started < durationMs) {
    const due = Math.floor(((Date.now() - started) / 1000) * ratePerSecond);
    for (; sent < due; sent++) {
      const lead = mixedLead(sent, prefix) as { lead_id: string };
      const postedAt = Date.now();
      inFlight.push(
        post(lead).then(
          async (response) => {
            await response.arrayBuffer();
            if (response.ok) {
              result.accepted.push(lead.lead_id);
              result.latenciesMs.push(Date.now() - postedAt);
            } else result.refused += 1;
          },
          () => {
            result.refused += 1;
          },
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(inFlight);
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
