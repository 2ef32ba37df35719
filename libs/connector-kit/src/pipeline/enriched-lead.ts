import { HEADERS, type LeadEnrichedV1 } from '@lead-delivery/contracts';
import { PermanentRecordError, decodeJson, type ConsumedRecord } from '@lead-delivery/messaging';

/** A consumed `leads.enriched.v1` record, checked far enough for the kit to route and account for it. */
export interface EnrichedLead {
  event: LeadEnrichedV1;
  leadId: string;
  accountId: string;
  /** CRM calls that carried it before (from `x-attempt` on the retry topic). */
  previousAttempts: number;
}

export type DecodeResult = { ok: true; lead: EnrichedLead } | { ok: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Decodes a record's value; `reason` names what is wrong (never the lead's contents). */
export function decodeEnrichedLead(record: ConsumedRecord): DecodeResult {
  let value: unknown;
  try {
    value = decodeJson(record); // refuses empty values, non-JSON and values nested too deep to walk
  } catch (error) {
    if (error instanceof PermanentRecordError) return { ok: false, reason: error.reason };
    throw error;
  }
  if (!isObject(value)) return { ok: false, reason: 'value is not a JSON object' };
  const { lead, routing, enrichment } = value;
  if (!isObject(lead) || !isText(lead['lead_id'])) return { ok: false, reason: '/lead/lead_id is missing' };
  if (!isText(lead['timestamp'])) return { ok: false, reason: '/lead/timestamp is missing' };
  if (!isObject(enrichment)) return { ok: false, reason: '/enrichment is missing' };
  if (!isObject(routing) || !isText(routing['account_id'])) {
    return { ok: false, reason: '/routing/account_id is missing' };
  }
  const destinations = routing['destinations'];
  if (!Array.isArray(destinations) || !destinations.every((destination) => typeof destination === 'string')) {
    return { ok: false, reason: '/routing/destinations is not a list of destination ids' };
  }
  const attempt = Number(record.headers[HEADERS.attempt] ?? 0);
  return {
    ok: true,
    lead: {
      event: value as unknown as LeadEnrichedV1,
      leadId: lead['lead_id'],
      accountId: routing['account_id'],
      previousAttempts: Number.isInteger(attempt) && attempt > 0 ? attempt : 0,
    },
  };
}
