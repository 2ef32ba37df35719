import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';

/**
 * The platform's own span attributes. Spans carry ids only: never a lead's contact data or message, and
 * never an error message (it may quote them).
 */
export const LEAD_SPAN_ATTRIBUTES = {
  leadId: 'lead_delivery.lead_id',
  accountId: 'lead_delivery.account_id',
} as const;

/** Marks `span` failed with the error's type (`error.type`), not its message. */
export function spanFailed(span: Span, errorType: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** The class of a thrown error (e.g. `KafkaJSNumberOfRetriesExceeded`), for `error.type`. */
export function errorTypeOf(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}
