import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ENHANCED_ONLY_LEAD_FIELDS, ENHANCED_ONLY_PROPERTY_FIELDS } from '../inbound/enhanced-only-fields';
import { isUsableLeadId } from '../inbound/spec-formats';
import { ENHANCED_LEAD_SCHEMA, STANDARD_LEAD_SCHEMA } from '../schemas/inbound-schemas';

// The common case, fast: a body that is exactly what the spec describes needs no coercion, produces no
// warning and is accepted as sent, in both modes. Checking that with the spec's own schemas compiled by
// ajv costs a fraction of the DTO validation; anything else takes the full path in parseLead. The
// differential test checks that both paths give the same result on every payload of its corpus.

type JsonObject = Record<string, unknown>;
interface SchemaNode {
  properties?: Record<string, SchemaNode>;
}

const ajv = new Ajv({ strict: false });
addFormats(ajv);
const withoutId = ({ $id: _id, ...schema }: Record<string, unknown>) => schema;
const enhancedProperties = (ENHANCED_LEAD_SCHEMA as SchemaNode).properties ?? {};
const validateEnhanced = ajv.compile(withoutId(ENHANCED_LEAD_SCHEMA));
// digital_signature is the transport signature: accepted on standard leads too.
const validateStandard = ajv.compile({
  ...withoutId(STANDARD_LEAD_SCHEMA),
  properties: {
    ...(STANDARD_LEAD_SCHEMA as SchemaNode).properties,
    digital_signature: enhancedProperties['digital_signature'],
  },
});

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Only keys the spec defines, at the top and in its nested objects, and only finite numbers. */
function onlyKnownFields(value: JsonObject, schema: SchemaNode): boolean {
  const properties = schema.properties ?? {};
  return Object.keys(value).every((key) => {
    if (!Object.hasOwn(properties, key)) return false;
    const child = value[key];
    if (typeof child === 'number') return Number.isFinite(child);
    return isObject(child) ? onlyKnownFields(child, properties[key] as SchemaNode) : true;
  });
}

function carriesEnhancedField(body: JsonObject): boolean {
  const property = isObject(body['property']) ? body['property'] : {};
  return (
    ENHANCED_ONLY_LEAD_FIELDS.some((field) => field in body) ||
    ENHANCED_ONLY_PROPERTY_FIELDS.some((field) => field in property)
  );
}

/** A copy of `body` when it is exactly as the spec describes it (and `lead_id` is usable as a key); else undefined. */
export function exactSpecLead(body: JsonObject): JsonObject | undefined {
  const leadId = body['lead_id'];
  if (typeof leadId !== 'string' || leadId.trim() === '' || !isUsableLeadId(leadId)) return undefined;
  if (!onlyKnownFields(body, ENHANCED_LEAD_SCHEMA as SchemaNode)) return undefined;
  const valid = carriesEnhancedField(body) ? validateEnhanced(body) : validateStandard(body);
  if (!valid) return undefined;
  const copy: JsonObject = { ...body };
  for (const [key, value] of Object.entries(copy)) if (isObject(value)) copy[key] = { ...value };
  return copy;
}
