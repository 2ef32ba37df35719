import {
  HEADERS,
  LEAD_RECEIVED_V1,
  parseLead,
  type FieldWarning,
  type Lead,
  type LeadKind,
} from '@lead-delivery/contracts';
import {
  PermanentRecordError,
  decodeJson,
  readCloudEvent,
  type CloudEventAttributes,
  type ConsumedRecord,
} from '@lead-delivery/messaging';

/** A `leads.received.v1` record, checked against the contract. */
export interface ReceivedLead {
  lead: Lead;
  kind: LeadKind;
  warnings: FieldWarning[];
  event: CloudEventAttributes;
  /** `ce_time`: when the gateway received the lead. */
  receivedAt: Date;
}

/**
 * Reads a received-lead record, or throws PermanentRecordError (the record goes to the dead-letter
 * topic) when it breaks the contract. The lead is validated again, leniently: the gateway is not the
 * only possible producer. Reasons name fields, never values, since values are personal data.
 */
export function readReceivedLead(record: ConsumedRecord): ReceivedLead {
  let event: CloudEventAttributes;
  try {
    event = readCloudEvent(record.headers);
  } catch (error) {
    throw new PermanentRecordError(record, (error as Error).message);
  }
  if (event.type !== LEAD_RECEIVED_V1.type) {
    throw new PermanentRecordError(
      record,
      `${HEADERS.ceType} is ${event.type}, not ${LEAD_RECEIVED_V1.type}`,
    );
  }
  const receivedAt = new Date(event.time);
  if (Number.isNaN(receivedAt.getTime())) {
    throw new PermanentRecordError(record, `${HEADERS.ceTime} is not a timestamp`);
  }

  const value = decodeJson<unknown>(record);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PermanentRecordError(record, 'value is not a JSON object');
  }
  const { warnings, raw: _raw, ...body } = value as Record<string, unknown>;
  const parsed = parseLead(body, { mode: 'lenient' });
  if (!parsed.ok) {
    const fields = parsed.errors.map((error) => `${error.pointer || '/'} ${error.detail}`).join('; ');
    throw new PermanentRecordError(record, `lead breaks the contract: ${fields}`);
  }
  return {
    lead: parsed.lead,
    kind: parsed.kind,
    warnings: [...fieldWarnings(warnings), ...parsed.warnings],
    event,
    receivedAt,
  };
}

function fieldWarnings(value: unknown): FieldWarning[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (warning): warning is FieldWarning =>
      typeof warning === 'object' && warning !== null && typeof warning.pointer === 'string',
  );
}
