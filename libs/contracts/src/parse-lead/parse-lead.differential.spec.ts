import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { JSONSchemaFaker } from 'json-schema-faker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { parse } from 'yaml';
import { ENHANCED_ONLY_LEAD_FIELDS, ENHANCED_ONLY_PROPERTY_FIELDS } from '../inbound/enhanced-only-fields';
import { isUsableLeadId } from '../inbound/spec-formats';
import { ENHANCED_LEAD_SCHEMA, STANDARD_LEAD_SCHEMA } from '../schemas/inbound-schemas';
import { jsonPointer } from './field-issues';
import { exactSpecLead } from './exact-spec-lead';
import { parseLead, parseLeadThoroughly } from './parse-lead';

/*
 * Differential test: the spec's own schemas, compiled with ajv + ajv-formats, against parseLead in strict
 * mode. They must agree on every payload, except where DESIGN.md deliberately reads the spec differently;
 * each such difference is named here and must actually occur in the corpus.
 */

type Json = Record<string, unknown>;
interface JsonSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

const DELIBERATE_DIFFERENCES = {
  discriminatedNotOneOf:
    "The spec's message is a oneOf of StandardLead and EnhancedLead. Neither forbids extra properties, so the literal " +
    'oneOf rejects every valid standard lead (it matches both) and accepts a lead with broken enhanced fields as a ' +
    'standard one. DESIGN.md: a lead is enhanced when it carries an enhanced-only field, and is validated as such.',
  unknownFieldsRejectedInStrict:
    'The spec allows additional properties; DESIGN.md: VALIDATION_MODE=strict turns unknown fields into 422s.',
  unusableLeadIdRejected:
    'The spec types lead_id as a string; DESIGN.md requires a non-empty one, and as it names the lead in every ' +
    'key downstream it is bounded in length and carries no control characters.',
  signatureOnStandardLeads:
    'digital_signature is defined only on EnhancedLeadPayload; it is the transport signature, so parseLead accepts it ' +
    '(as a string) on any lead and it does not make a lead enhanced.',
  nonFiniteNumbersRejected:
    'A JSON number beyond the double range (1e400) parses as Infinity, which JSON cannot carry on to Kafka ' +
    '(JSON.stringify writes null); ajv accepts it as a number, parseLead treats it as not a number.',
} as const;
type Difference = keyof typeof DELIBERATE_DIFFERENCES;

const spec = parse(
  readFileSync(join(__dirname, '../../../../asyncapi/realtor-lead-delivery.asyncapi.yaml'), 'utf8'),
);
const standardSchema: JsonSchema = spec.components.schemas.StandardLeadPayload;
const enhancedSchema: JsonSchema = spec.components.schemas.EnhancedLeadPayload;
const properties = (schema: JsonSchema) => schema.properties ?? {};

const standardWithSignature: JsonSchema = {
  ...standardSchema,
  properties: {
    ...properties(standardSchema),
    digital_signature: properties(enhancedSchema)['digital_signature'] as JsonSchema,
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateStandard = ajv.compile(standardWithSignature);
const validateEnhanced = ajv.compile(enhancedSchema);
const validateSpecOneOf = ajv.compile({ oneOf: [standardSchema, enhancedSchema] });

const specEnhancedOnly = Object.keys(properties(enhancedSchema)).filter(
  (key) => !(key in properties(standardSchema)),
);
const specEnhancedOnlyProperty = Object.keys(
  properties(properties(enhancedSchema)['property'] as JsonSchema),
).filter((key) => !(key in properties(properties(standardSchema)['property'] as JsonSchema)));

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function carriesEnhancedField(payload: Json): boolean {
  const property = isObject(payload['property']) ? payload['property'] : {};
  return (
    specEnhancedOnly.some((key) => key !== 'digital_signature' && key in payload) ||
    specEnhancedOnlyProperty.some((key) => key in property)
  );
}

function unknownFieldPointers(payload: Json, schema: JsonSchema, pointer = ''): string[] {
  return Object.keys(payload).flatMap((key) => {
    if (!Object.hasOwn(properties(schema), key)) return [jsonPointer(pointer, key)];
    const fieldSchema = properties(schema)[key] as JsonSchema;
    const value = payload[key];
    return fieldSchema.type === 'object' && isObject(value)
      ? unknownFieldPointers(value, fieldSchema, jsonPointer(pointer, key))
      : [];
  });
}

function numberPointers(value: Json, pointer = ''): Array<[string, number]> {
  return Object.entries(value).flatMap(([key, child]): Array<[string, number]> => {
    if (typeof child === 'number') return [[jsonPointer(pointer, key), child]];
    return isObject(child) ? numberPointers(child, jsonPointer(pointer, key)) : [];
  });
}

function ajvPointers(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) =>
    error.keyword === 'required'
      ? jsonPointer(error.instancePath, (error.params as { missingProperty: string }).missingProperty)
      : error.instancePath,
  );
}

interface Verdict {
  valid: boolean;
  pointers: string[];
  kind?: 'standard' | 'enhanced';
  differences: Difference[];
}

/** What the spec says of a payload, adjusted by the deliberate differences. */
function specVerdict(payload: unknown): Verdict {
  if (!isObject(payload)) return { valid: false, pointers: [''], differences: [] };
  const enhanced = carriesEnhancedField(payload);
  const validate: ValidateFunction = enhanced ? validateEnhanced : validateStandard;
  let valid = validate(payload) as boolean;
  const pointers = ajvPointers(validate.errors);
  const differences: Difference[] = [];

  const unknown = unknownFieldPointers(payload, enhanced ? enhancedSchema : standardWithSignature);
  if (unknown.length > 0) {
    valid = false;
    pointers.push(...unknown);
    differences.push('unknownFieldsRejectedInStrict');
  }
  const leadId = payload['lead_id'];
  if (typeof leadId === 'string' && (leadId.trim() === '' || !isUsableLeadId(leadId))) {
    valid = false;
    pointers.push('/lead_id');
    differences.push('unusableLeadIdRejected');
  }
  const nonFinite = numberPointers(payload).filter(([, value]) => !Number.isFinite(value));
  if (nonFinite.length > 0) {
    valid = false;
    pointers.push(...nonFinite.map(([numberPointer]) => numberPointer));
    differences.push('nonFiniteNumbersRejected');
  }
  if (!enhanced && 'digital_signature' in payload) differences.push('signatureOnStandardLeads');
  if ((validateSpecOneOf(payload) as boolean) !== valid) differences.push('discriminatedNotOneOf');
  return { valid, pointers, kind: enhanced ? 'enhanced' : 'standard', differences };
}

// ---- corpus -------------------------------------------------------------------------------------------

const random = seedrandom('20261127');
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
JSONSchemaFaker.option({
  random,
  optionalsProbability: 0.7,
  fillProperties: false,
  alwaysFakeOptionals: false,
});

function generated(count: number): Json[] {
  return Array.from(
    { length: count },
    (_, index) =>
      JSONSchemaFaker.generate((index % 2 === 0 ? standardSchema : enhancedSchema) as never) as Json,
  );
}

function leafPaths(value: Json, path: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, child]) =>
    isObject(child) ? [[...path, key], ...leafPaths(child, [...path, key])] : [[...path, key]],
  );
}

function setPath(target: Json, path: string[], value: unknown): void {
  const parent = path.slice(0, -1).reduce<Json>((node, key) => {
    if (!isObject(node[key])) node[key] = {};
    return node[key] as Json;
  }, target);
  parent[path[path.length - 1] as string] = value;
}

function deletePath(target: Json, path: string[]): void {
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), target);
  if (isObject(parent)) delete parent[path[path.length - 1] as string];
}

const OTHER_TYPES: unknown[] = [42, 2.5, 'text', true, null, [], {}, '', -1];
const mutations: Array<(lead: Json) => void> = [
  (lead) => deletePath(lead, pick([['lead_id'], ['contact'], ['timestamp'], ['contact', 'email']])),
  (lead) => setPath(lead, pick(leafPaths(lead)), pick(OTHER_TYPES)),
  (lead) =>
    setPath(
      lead,
      ['property', pick(['beds', 'baths', 'sqft', 'active_days_on_market'])],
      pick([2.5, '3', 1e21]),
    ),
  (lead) => setPath(lead, ['probability_to_transact'], pick([1.2, -0.01, '0.5', 0, 1])),
  (lead) => setPath(lead, ['role'], pick(['Buyer', 'renter', 'seller', ''])),
  (lead) =>
    setPath(
      lead,
      pick([
        ['contact', 'email'],
        ['listing_agent', 'email'],
      ]),
      pick(['jane@', 'a b@c.com', 'x@y.io']),
    ),
  (lead) =>
    setPath(
      lead,
      ['property', 'listing_url'],
      pick(['www.realtor.com/x', 'https://www.realtor.com/x', 'ftp://x']),
    ),
  (lead) =>
    setPath(lead, ['timestamp'], pick(['2026-02-30T10:00:00Z', '2026-11-27', '2026-11-27T10:00:00', 'now'])),
  (lead) => setPath(lead, pick([['x_unknown'], ['contact', 'middle_name'], ['property', 'garage']]), 'extra'),
  (lead) => setPath(lead, ['lead_id'], pick(['', '   ', 'ok-1'])),
  (lead) => setPath(lead, ['digital_signature'], pick(['sig', 7])),
  (lead) => setPath(lead, ['finance_info', 'pre_approved'], pick([true, 'true', 1])),
];

function mutated(bases: Json[]): Json[] {
  return bases.map((base) => {
    const lead = structuredClone(base);
    pick(mutations)(lead);
    return lead;
  });
}

const valid = () => ({
  lead_id: 'edge-1',
  contact: { email: 'edge@example.com' },
  timestamp: '2026-11-27T10:15:00Z',
});
const handWritten: Array<[string, unknown]> = [
  ['minimal standard lead', valid()],
  ['not an object', 'lead'],
  ['an array', [valid()]],
  ['null body', null],
  ['missing lead_id', { ...valid(), lead_id: undefined }],
  ['missing contact', { ...valid(), contact: undefined }],
  ['missing timestamp', { ...valid(), timestamp: undefined }],
  ['missing email', { ...valid(), contact: { first_name: 'Ann' } }],
  ['numeric lead_id', { ...valid(), lead_id: 7 }],
  ['contact as string', { ...valid(), contact: 'ann@example.com' }],
  ['boolean timestamp', { ...valid(), timestamp: true }],
  ['baths 2.5', { ...valid(), property: { baths: 2.5 } }],
  ['zip_code as number', { ...valid(), property: { zip_code: 78701 } }],
  ['probability 1.2', { ...valid(), probability_to_transact: 1.2 }],
  ['probability at bounds', { ...valid(), probability_to_transact: 1, is_likely_to_transact: false }],
  ['unknown top-level field', { ...valid(), utm_source: 'mail' }],
  ['unknown nested field', { ...valid(), contact: { email: 'a@b.co', nickname: 'A' } }],
  [
    '__proto__ key',
    JSON.parse(
      '{"__proto__":{"admin":true},"lead_id":"p","contact":{"email":"a@b.co"},"timestamp":"2026-11-27T10:15:00Z"}',
    ),
  ],
  [
    'unicode names',
    { ...valid(), contact: { email: 'li@example.cn', first_name: '李', last_name: 'Ødegård 🏡' } },
  ],
  ['huge message', { ...valid(), message: 'x'.repeat(60_000) }],
  ['huge lead_id', { ...valid(), lead_id: 'L'.repeat(10_000) }],
  ['empty lead_id', { ...valid(), lead_id: '' }],
  ['lead_id with NUL', { ...valid(), lead_id: 'a\u0000b' }],
  ['leap second', { ...valid(), timestamp: '2016-12-31T23:59:60Z' }],
  ['timestamp with offset', { ...valid(), timestamp: '2026-11-27T05:15:00.5-05:00' }],
  ['invalid calendar date', { ...valid(), timestamp: '2026-02-29T10:00:00Z' }],
  ['signed standard lead', { ...valid(), digital_signature: 'c2lnbmF0dXJl' }],
  ['numeric signature', { ...valid(), digital_signature: 12 }],
  ['enhanced lead with bad role', { ...valid(), role: 'landlord', finance_info: { pre_approved: true } }],
  ['enhanced-only field null', { ...valid(), role: null }],
  ['optional standard field null', { ...valid(), message: null }],
  ['listing_agent as array', { ...valid(), listing_agent: [] }],
  [
    'property fields on a standard lead',
    {
      ...valid(),
      property: {
        address: '1 Main St',
        city: 'Austin',
        state: 'TX',
        zip_code: '78701',
        list_price: 450000,
        beds: 3,
        baths: 2,
      },
    },
  ],
  [
    'huge number',
    JSON.parse(
      '{"lead_id":"n","contact":{"email":"a@b.co"},"timestamp":"2026-11-27T10:15:00Z","property":{"list_price":1e400}}',
    ),
  ],
  ['negative price', { ...valid(), property: { list_price: -1 } }],
  ['email with display name', { ...valid(), contact: { email: 'Ann <ann@example.com>' } }],
  ['listing url relative', { ...valid(), property: { listing_url: '/realestateandhomes-detail/1' } }],
  ['budget as strings', { ...valid(), finance_info: { budget_min: '100000', budget_max: '200000' } }],
  ['nested objects empty', { ...valid(), property: {}, listing_agent: {}, finance_info: {} }],
];

// ---- the test -----------------------------------------------------------------------------------------

describe('parseLead (strict) agrees with the AsyncAPI schemas', () => {
  const generatedLeads = generated(320);
  const corpus: Array<[string, unknown]> = [
    ...generatedLeads.map((lead, index): [string, unknown] => [`generated #${index}`, lead]),
    ...mutated(generatedLeads).map((lead, index): [string, unknown] => [`mutated #${index}`, lead]),
    ...handWritten,
  ];

  it('ships the spec schemas unchanged in libs/contracts', () => {
    const stripEnvelope = ({ $schema: _s, $id: _i, title: _t, ...schema }: Record<string, unknown>) => schema;
    expect(stripEnvelope(STANDARD_LEAD_SCHEMA)).toEqual(standardSchema);
    expect(stripEnvelope(ENHANCED_LEAD_SCHEMA)).toEqual(enhancedSchema);
  });

  it('knows the same enhanced-only fields as the spec', () => {
    expect([...ENHANCED_ONLY_LEAD_FIELDS, 'digital_signature'].sort()).toEqual([...specEnhancedOnly].sort());
    expect([...ENHANCED_ONLY_PROPERTY_FIELDS].sort()).toEqual([...specEnhancedOnlyProperty].sort());
  });

  it('accepts and rejects the same payloads, naming the fields the schema names', () => {
    const disagreements: string[] = [];
    const differenceCounts = Object.fromEntries(Object.keys(DELIBERATE_DIFFERENCES).map((key) => [key, 0]));
    let validCount = 0;

    for (const [name, payload] of corpus) {
      const expected = specVerdict(payload);
      expected.differences.forEach((difference) => (differenceCounts[difference] += 1));
      const actual = parseLead(payload, { mode: 'strict' });
      if (expected.valid) validCount += 1;

      if (actual.ok !== expected.valid) {
        disagreements.push(
          `${name}: spec says ${expected.valid ? 'valid' : 'invalid'} (${expected.pointers.join(', ')}), parseLead says ${actual.ok ? 'valid' : JSON.stringify(actual.errors)} — ${JSON.stringify(payload).slice(0, 300)}`,
        );
      } else if (actual.ok && actual.kind !== expected.kind) {
        disagreements.push(`${name}: kind ${actual.kind}, expected ${expected.kind}`);
      } else if (!actual.ok) {
        const named = new Set(actual.errors.map((error) => error.pointer));
        const unnamed = expected.pointers.filter((pointer) => !named.has(pointer));
        if (unnamed.length > 0)
          disagreements.push(
            `${name}: parseLead does not name ${unnamed.join(', ')} (${JSON.stringify(actual.errors)})`,
          );
      }
    }

    expect(disagreements).toEqual([]);
    expect(corpus.length).toBeGreaterThanOrEqual(300 + 300 + 30);
    // A corpus of only valid or only invalid payloads would prove nothing.
    expect(validCount).toBeGreaterThan(150);
    expect(corpus.length - validCount).toBeGreaterThan(150);
    for (const [difference, count] of Object.entries(differenceCounts)) {
      expect({ difference, occurred: count > 0 }).toEqual({ difference, occurred: true });
    }
  });

  it('takes the shortcut for bodies exactly as the spec describes them, with the result of the full validation', () => {
    let shortcuts = 0;
    for (const [, payload] of corpus) {
      for (const mode of ['lenient', 'strict'] as const) {
        const fast = parseLead(payload, { mode });
        const thorough = parseLeadThoroughly(payload, { mode });
        expect(fast).toEqual(thorough);
      }
      if (
        typeof payload === 'object' &&
        payload !== null &&
        !Array.isArray(payload) &&
        exactSpecLead(payload as Json)
      )
        shortcuts += 1;
    }
    // Most generated payloads are exact, so the shortcut is really taken.
    expect(shortcuts).toBeGreaterThan(150);
  });
});
