import {
  LEAD_SPAN_ATTRIBUTES,
  errorTypeOf,
  recordSpanContext,
  spanFailed,
  withRecordContext,
} from '@lead-delivery/messaging';
import { SpanKind, context, trace, type Link } from '@opentelemetry/api';
import { ConnectorError } from '../connector/connector.error';
import { isFailure, type RecordOutcome } from '../connector/crm-connector';
import type { TrackedLead } from './outcome-recorder';

const tracer = trace.getTracer('@lead-delivery/connector-kit');

export const CRM_SPAN_ATTRIBUTES = {
  destination: 'lead_delivery.destination',
  records: 'lead_delivery.crm.records',
  failedRecords: 'lead_delivery.crm.failed_records',
} as const;

/**
 * Makes one CRM call inside its client span (`deliver <destination>`): a child of the lead's process span
 * when the call carries one lead, else a span of its own linked to every lead's. A call that fails is
 * marked with its ConnectorError kind (`error.type`); one that fails for some records counts them.
 */
export async function traceCrmCall(
  destination: string,
  accountId: string,
  leads: TrackedLead[],
  call: () => Promise<RecordOutcome[]>,
): Promise<RecordOutcome[]> {
  const [lead] = leads;
  const start = () =>
    tracer.startSpan(`deliver ${destination}`, {
      kind: SpanKind.CLIENT,
      ...(leads.length > 1 ? { root: true, links: linksTo(leads) } : {}),
    });
  const span = lead && leads.length === 1 ? withRecordContext(lead.record, start) : start();
  if (span.isRecording()) {
    span.setAttributes({
      [CRM_SPAN_ATTRIBUTES.destination]: destination,
      [LEAD_SPAN_ATTRIBUTES.accountId]: accountId,
      [CRM_SPAN_ATTRIBUTES.records]: leads.length,
      ...(leads.length === 1 && lead ? { [LEAD_SPAN_ATTRIBUTES.leadId]: lead.lead.leadId } : {}),
    });
  }
  try {
    const outcomes = await context.with(trace.setSpan(context.active(), span), call);
    const failed = outcomes.filter(isFailure).length;
    if (failed > 0) span.setAttribute(CRM_SPAN_ATTRIBUTES.failedRecords, failed);
    return outcomes;
  } catch (error) {
    spanFailed(span, error instanceof ConnectorError ? error.kind : errorTypeOf(error));
    throw error;
  } finally {
    span.end();
  }
}

function linksTo(leads: TrackedLead[]): Link[] {
  return leads.flatMap((lead) => {
    const spanContext = recordSpanContext(lead.record);
    return spanContext ? [{ context: spanContext }] : [];
  });
}
