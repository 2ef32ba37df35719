import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import deliverySchema from '../../schemas/events/lead-delivery.v1.schema.json';
import enrichedSchema from '../../schemas/events/lead-enriched.v1.schema.json';
import { LEAD_DELIVERY_V1, type LeadDeliveryV1 } from './lead-delivery.v1';
import { LEAD_ENRICHED_V1, type LeadEnrichedV1 } from './lead-enriched.v1';
import type { LeadKind } from '../inbound/lead.types';
import type { FieldWarning } from '../parse-lead/field-issues';
import { parseLead } from '../parse-lead/parse-lead';
import { LEAD_RECEIVED_V1, type LeadReceivedV1 } from './lead-received.v1';
import type { EventDefinition } from './event-definition';

export type DecodedEvent<Value> = { ok: true; value: Value } | { ok: false; reason: string };

/** Checks a parsed record value against its event type's published JSON Schema. */
export type EventDecoder<Value> = (value: unknown) => DecodedEvent<Value>;

/** Most schema violations named in one reason: enough to fix a producer, bounded for a DLQ header. */
const REPORTED_ERRORS = 5;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

/** `/enrichment/tier must be equal to one of the allowed values`: a JSON pointer and a rule, never a value. */
function describe(errors: ErrorObject[]): string {
  const named = errors.slice(0, REPORTED_ERRORS).map((error) => {
    const pointer =
      error.keyword === 'required'
        ? `${error.instancePath}/${String((error.params as { missingProperty: string }).missingProperty)}`
        : error.instancePath;
    const rule = error.keyword === 'required' ? 'is required' : (error.message ?? error.keyword);
    return `${pointer || '/'} ${rule}`;
  });
  const more = errors.length > REPORTED_ERRORS ? ` (and ${errors.length - REPORTED_ERRORS} more)` : '';
  return named.join('; ') + more;
}

function decoderOf<Value>(definition: EventDefinition<Value>, schema: object): EventDecoder<Value> {
  const { $id: _id, ...withoutId } = schema as Record<string, unknown>;
  const validate = ajv.compile<Value>(withoutId);
  return (value) =>
    validate(value)
      ? { ok: true, value }
      : { ok: false, reason: `value breaks ${definition.type}: ${describe(validate.errors ?? [])}` };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isFieldWarning = (warning: unknown): warning is FieldWarning =>
  isObject(warning) && typeof warning['pointer'] === 'string';

/**
 * A `leads.received.v1` value. The gateway is not the only possible producer, so the lead is validated
 * again as the gateway validates a body in lenient mode: what the contract does not allow in an optional
 * field is set aside with a warning, a lead without what the contract requires is refused. `raw` is kept
 * as sent; malformed warnings are dropped.
 */
export function decodeLeadReceivedV1(
  value: unknown,
): { ok: true; value: LeadReceivedV1; kind: LeadKind } | { ok: false; reason: string } {
  if (!isObject(value))
    return { ok: false, reason: `value breaks ${LEAD_RECEIVED_V1.type}: / must be object` };
  const { warnings, raw, ...body } = value;
  const parsed = parseLead(body, { mode: 'lenient' });
  if (!parsed.ok) {
    const fields = parsed.errors.map((error) => `${error.pointer || '/'} ${error.detail}`).join('; ');
    return { ok: false, reason: `value breaks ${LEAD_RECEIVED_V1.type}: ${fields}` };
  }
  return {
    ok: true,
    kind: parsed.kind,
    value: {
      ...parsed.lead,
      warnings: [...(Array.isArray(warnings) ? warnings.filter(isFieldWarning) : []), ...parsed.warnings],
      raw: isObject(raw) ? raw : {},
    },
  };
}
export const decodeLeadEnrichedV1 = decoderOf<LeadEnrichedV1>(LEAD_ENRICHED_V1, enrichedSchema);
export const decodeLeadDeliveryV1 = decoderOf<LeadDeliveryV1>(LEAD_DELIVERY_V1, deliverySchema);
