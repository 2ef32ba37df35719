import {
  HEADERS,
  LEAD_RECEIVED_V1,
  decodeLeadReceivedV1,
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

  const decoded = decodeLeadReceivedV1(decodeJson<unknown>(record));
  if (!decoded.ok) throw new PermanentRecordError(record, decoded.reason);
  const { warnings, raw: _raw, ...lead } = decoded.value;
  return { lead, kind: decoded.kind, warnings, event, receivedAt };
}
