import type { LeadDetail, TimelineEvent } from '../api/read-api.types';

export interface TimelineEntry {
  key: string;
  title: string;
  at: string | null;
  /** Time since the lead was received, e.g. `+1.2 s`. */
  after: string | null;
  lines: string[];
}

const TITLES: Record<string, string> = {
  received: 'Received',
  enriched: 'Enriched and routed',
  delivered: 'Delivered',
  delivery_failed: 'Delivery attempt failed',
  dead_lettered: 'Dead-lettered',
  delivery_skipped: 'Skipped by the CRM account',
  delivery_suppressed: 'Suppressed, identity erased',
  erased: 'Personal data erased',
};

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Score reasons as the enrichment stores them: a label that includes the points (`pre-approved +15`). */
export function reasonLines(reasons: unknown): string[] {
  if (!Array.isArray(reasons)) return [];
  return reasons.map((reason) => {
    if (typeof reason !== 'object' || reason === null) return text(reason);
    const { label, factor, points } = reason as Record<string, unknown>;
    if (label !== undefined) return text(label);
    return `${text(factor)}${typeof points === 'number' ? ` (${points > 0 ? '+' : ''}${points})` : ''}`;
  });
}

function linesOf(event: TimelineEvent, detail: LeadDetail): string[] {
  const details = event.details ?? {};
  switch (event.type) {
    case 'received': {
      const warnings = Array.isArray(detail.lead.warnings) ? detail.lead.warnings : [];
      return [
        `${text(details.kind ?? detail.lead.kind)} lead from ${detail.lead.source ?? 'its source'}`,
        ...(warnings.length > 0
          ? warnings.map(
              (warning) => `warning: ${text((warning as { message?: unknown }).message ?? warning)}`,
            )
          : ['no warnings']),
      ];
    }
    case 'enriched': {
      const destinations = Array.isArray(details.destinations) ? details.destinations.map(text) : [];
      return [
        `score ${text(details.score)}, tier ${text(details.tier)}`,
        ...reasonLines(detail.lead.enrichment?.reasons).map((reason) => `reason: ${reason}`),
        destinations.length > 0 ? `routed to ${destinations.join(', ')}` : 'routed nowhere',
      ];
    }
    case 'delivered':
    case 'delivery_failed':
    case 'dead_lettered':
      return [
        `${event.destination ?? 'CRM'}, attempt ${text(details.attempts)}`,
        ...(details.crm_record_id ? [`record ${text(details.crm_record_id)}`] : []),
        ...(details.error ? [`error: ${text(details.error)}`] : []),
      ];
    case 'delivery_skipped':
      return [
        `${event.destination ?? 'CRM'}, attempt ${text(details.attempts)}, not retried`,
        ...(details.error ? [`reason: ${text(details.error)}`] : []),
      ];
    case 'delivery_suppressed':
      return [`${event.destination ?? 'CRM'}: not delivered, the person's identity was erased`];
    default:
      return Object.entries(details).map(([name, value]) => `${name}: ${text(value)}`);
  }
}

/** The lead's history as the lead page lists it, oldest first, each step timed from receipt. */
export function timelineEntries(detail: LeadDetail): TimelineEntry[] {
  const received =
    detail.timeline.find((event) => event.type === 'received')?.occurred_at ?? detail.lead.received_at;
  const start = received ? Date.parse(received) : undefined;
  return detail.timeline.map((event) => ({
    key: event.event_id,
    title: `${TITLES[event.type] ?? event.type}${event.destination && event.type !== 'enriched' ? `: ${event.destination}` : ''}`,
    at: event.occurred_at,
    after:
      start === undefined || !event.occurred_at || event.type === 'received'
        ? null
        : `+${formatDuration(Date.parse(event.occurred_at) - start)}`,
    lines: linesOf(event, detail),
  }));
}
