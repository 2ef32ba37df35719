import { HEADERS, decodeLeadEnrichedV1, type LeadEnrichedV1 } from '@lead-delivery/contracts';
import { PermanentRecordError, decodeJson, type ConsumedRecord } from '@lead-delivery/messaging';

/** A consumed `leads.enriched.v1` record, checked far enough for the kit to route and account for it. */
export interface EnrichedLead {
  event: LeadEnrichedV1;
  leadId: string;
  accountId: string;
  /** CRM calls that carried it before (from `x-attempt` on the retry topic). */
  previousAttempts: number;
  /** Calls the CRM refused to process before (from `x-refused-calls` on the retry topic). */
  previousRefusedCalls: number;
}

export type DecodeResult = { ok: true; lead: EnrichedLead } | { ok: false; reason: string };

const isBlank = (value: string) => value.trim() === '';

/** A count header of an earlier stay on the retry topic; 0 when absent or unreadable. */
function countIn(record: ConsumedRecord, header: string): number {
  const count = Number(record.headers[header] ?? 0);
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/** Decodes a record's value; `reason` names what is wrong (never the lead's contents). */
export function decodeEnrichedLead(record: ConsumedRecord): DecodeResult {
  let value: unknown;
  try {
    value = decodeJson(record); // refuses empty values, non-JSON and values nested too deep to walk
  } catch (error) {
    if (error instanceof PermanentRecordError) return { ok: false, reason: error.reason };
    throw error;
  }
  const decoded = decodeLeadEnrichedV1(value);
  if (!decoded.ok) return { ok: false, reason: decoded.reason };
  const event = decoded.value;
  // Both name the lead in CRM keys and markers: the schema allows an empty string, the kit does not.
  if (isBlank(event.lead.lead_id)) return { ok: false, reason: '/lead/lead_id is blank' };
  if (isBlank(event.routing.account_id)) return { ok: false, reason: '/routing/account_id is blank' };
  return {
    ok: true,
    lead: {
      event,
      leadId: event.lead.lead_id,
      accountId: event.routing.account_id,
      previousAttempts: countIn(record, HEADERS.attempt),
      previousRefusedCalls: countIn(record, HEADERS.refusedCalls),
    },
  };
}
