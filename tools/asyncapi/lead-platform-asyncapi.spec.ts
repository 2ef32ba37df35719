import { Parser } from '@asyncapi/parser';
import {
  CONSUMERS,
  DELIVERY_OUTCOMES,
  ENHANCED_LEAD_SCHEMA,
  HEADERS,
  LEAD_DELIVERY_V1,
  LEAD_ENRICHED_V1,
  LEAD_KINDS,
  LEAD_RECEIVED_V1,
  LEAD_TIERS,
  parseLead,
  type EnhancedLead,
  type LeadDeliveryV1,
  type LeadEnrichedV1,
  type LeadReceivedV1,
} from '@lead-delivery/contracts';
import { anEnhancedLead, aStandardLead } from '@lead-delivery/testing';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { GENERATE_ASYNCAPI_COMMAND, renderLeadPlatformAsyncApi } from './connector-channels';
import { catalogueTopics, channelsOf, documentedTopics, groupParametersOf } from './documented-topics';
import {
  ASYNCAPI_FILE,
  componentSchemas,
  EVENT_SCHEMA_NAMES,
  EVENT_SCHEMAS,
  eventSchema,
  eventSchemas,
  readAsyncApiDocument,
  type EventSchemaName,
  type JsonSchema,
} from './event-schemas';

// asyncapi/lead-platform.asyncapi.yaml against the parser and against libs/contracts: the topics of the
// catalogue, its header names and event types, and events built with its TypeScript types.

/** Every field present, optional ones included: a field added to a contracts type must be added here. */
type Complete<T> = T extends (infer Item)[]
  ? Complete<Item>[]
  : T extends object
    ? { [Key in keyof T]-?: Complete<T[Key]> }
    : T;

const completeLead: Complete<EnhancedLead> = {
  lead_id: 'lead-7f3a',
  role: 'buyer',
  contact: {
    first_name: 'Maria',
    last_name: 'Gonzalez',
    email: 'maria@example.com',
    phone: '(512) 555-0142',
  },
  property: {
    address: '2104 Lakeview Dr',
    city: 'Austin',
    state: 'TX',
    zip_code: '78704',
    list_price: 489_000,
    beds: 3,
    baths: 2,
    listing_url: 'https://www.realtor.com/realestateandhomes-detail/2104-Lakeview-Dr',
    latitude: 30.25,
    longitude: -97.75,
    mls_id: 'ACT-1234567',
    mls_name: 'ACTRIS',
    listing_status: 'active',
    sqft: 1_850,
    active_days_on_market: 4,
  },
  listing_agent: { name: 'Jordan Lee', email: 'jordan@brokerage.example', phone: '512-555-0100' },
  finance_info: { pre_approved: true, budget_min: 400_000, budget_max: 500_000 },
  is_likely_to_transact: true,
  probability_to_transact: 0.82,
  message: 'Pre-approved, would like a tour this weekend.',
  source: 'realtor.com',
  timestamp: '2026-01-31T17:04:05.000Z',
  digital_signature: 'c2lnbmF0dXJl',
};

const received: Complete<LeadReceivedV1> = {
  ...completeLead,
  warnings: [{ pointer: '/property/baths', detail: 'must be an integer', action: 'dropped' }],
  raw: { ...completeLead, property: { ...completeLead.property, baths: 2.5 } },
};

const enriched: Complete<LeadEnrichedV1> = {
  lead: completeLead,
  kind: 'enhanced',
  enrichment: {
    score: 100,
    tier: 'hot',
    reasons: [{ factor: 'pre_approved', points: 15, label: 'pre-approved +15' }],
    model_version: 'lead-score-v1',
    person_key: 'maria@example.com',
    normalized: {
      email: 'maria@example.com',
      phone_e164: '+15125550142',
      first_name: 'Maria',
      last_name: 'Gonzalez',
      full_name: 'Maria Gonzalez',
      address: '2104 Lakeview Dr, Austin, TX 78704',
      city: 'Austin',
      state: 'TX',
      zip_code: '78704',
    },
  },
  routing: { account_id: 'acct-austin-brokerage', destinations: ['hubspot', 'salesforce'] },
};

const delivery: Complete<LeadDeliveryV1> = {
  lead_id: 'lead-7f3a',
  account_id: 'acct-austin-brokerage',
  destination: 'salesforce',
  outcome: 'delivered',
  crm_record_id: '00Q5e00000AbCdEFGH',
  attempts: 1,
  error: null,
  lead_timestamp: '2026-01-31T17:04:05.000Z',
  delivered_at: '2026-01-31T17:04:07.120Z',
  occurred_at: '2026-01-31T17:04:07.125Z',
  person_key: 'maria@example.com',
};

const document = readAsyncApiDocument();
const schemas = componentSchemas(document);
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validators = Object.fromEntries(
  EVENT_SCHEMA_NAMES.map((name) => [name, ajv.compile(eventSchema(document, name))]),
) as Record<EventSchemaName, ReturnType<Ajv['compile']>>;

function errorsOf(name: EventSchemaName, value: unknown): string[] {
  const validate = validators[name];
  return validate(value)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

/** Fields of `value` that the schema (its properties, through $ref and allOf) does not declare. */
function undeclaredFields(schema: JsonSchema, value: unknown, path = ''): string[] {
  const resolved = resolveSchema(schema);
  if (Array.isArray(value)) {
    const items = resolved.find((part) => part['items'])?.['items'] as JsonSchema | undefined;
    return items ? value.flatMap((item, index) => undeclaredFields(items, item, `${path}/${index}`)) : [];
  }
  if (value === null || typeof value !== 'object') return [];
  const properties = Object.assign(
    {},
    ...resolved.map((part) => (part['properties'] as object) ?? {}),
  ) as Record<string, JsonSchema>;
  if (Object.keys(properties).length === 0) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    properties[key] ? undeclaredFields(properties[key], child, `${path}/${key}`) : [`${path}/${key}`],
  );
}

function resolveSchema(schema: JsonSchema): JsonSchema[] {
  const ref = typeof schema['$ref'] === 'string' ? /([^/]+)$/.exec(schema['$ref'])?.[1] : undefined;
  const own = ref ? resolveSchema(schemas[ref]) : [schema];
  return [...own, ...((schema['allOf'] as JsonSchema[] | undefined) ?? []).flatMap(resolveSchema)];
}

const channels = channelsOf(document);
const parameters = groupParametersOf(document);

const headerSchema = (name: string) => resolveSchema(schemas[name]);
const headerNames = (name: string) =>
  headerSchema(name).flatMap((part) => Object.keys((part['properties'] as object) ?? {}));

describe('asyncapi/lead-platform.asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3 document for @asyncapi/parser, without any diagnostic', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(readFileSync(ASYNCAPI_FILE, 'utf8'));
    expect(
      diagnostics.map(
        (diagnostic) => `${diagnostic.code}: ${diagnostic.message} at ${diagnostic.path.join('.')}`,
      ),
    ).toEqual([]);
    expect(parsed?.version()).toMatch(/^3\./);
    expect(parsed?.allMessages().all().length).toBeGreaterThanOrEqual(5);
  });

  it(`is up to date with the connector registry (${GENERATE_ASYNCAPI_COMMAND})`, () => {
    const committed = readFileSync(ASYNCAPI_FILE, 'utf8');
    expect(committed).toBe(renderLeadPlatformAsyncApi(committed));
  });

  it("documents exactly the catalogue's topics, with their partitions and retention", () => {
    expect(documentedTopics(document)).toEqual(catalogueTopics());
    channels
      .filter((channel) => !channel.parameters)
      .forEach((channel) => expect(channel.bindings?.kafka?.topic).toBe(channel.address));
  });

  it('names the consumer groups of the catalogue in the retry and dead-letter parameters', () => {
    const groups = new Set(CONSUMERS.map((consumer) => consumer.group));
    Object.values(parameters).forEach((parameter) =>
      parameter.enum.forEach((group) => expect(groups).toContain(group)),
    );
  });

  it('keys every message by lead_id and gives each event its CloudEvents type', () => {
    const messages = (
      document['components'] as {
        messages: Record<string, { bindings: { kafka: { key: { $ref: string } } } }>;
      }
    ).messages;
    // The privacy topics are keyed by account (and suppressions by account and identity hash).
    const privacyKeys: Record<string, string> = {
      CrmErasureRequested: 'AccountKey',
      CrmErasureCompleted: 'AccountKey',
      IdentitySuppressed: 'SuppressionKey',
    };
    Object.entries(messages).forEach(([name, message]) =>
      expect(message.bindings.kafka.key.$ref).toBe(`#/components/schemas/${privacyKeys[name] ?? 'LeadKey'}`),
    );
    const typeOf = (headers: string) =>
      headerSchema(headers)
        .map(
          (part) =>
            (part['properties'] as Record<string, { const?: string }> | undefined)?.['ce_type']?.const,
        )
        .find(Boolean);
    expect(typeOf('LeadReceivedHeaders')).toBe(LEAD_RECEIVED_V1.type);
    expect(typeOf('LeadEnrichedHeaders')).toBe(LEAD_ENRICHED_V1.type);
    expect(typeOf('LeadDeliveryHeaders')).toBe(LEAD_DELIVERY_V1.type);
    expect(LEAD_RECEIVED_V1.key(received)).toBe(received.lead_id);
  });

  it('documents every header of libs/contracts, and no other', () => {
    const documented = new Set(
      [
        'LeadReceivedHeaders',
        'LeadEnrichedHeaders',
        'LeadDeliveryHeaders',
        'DeadLetterHeaders',
        'DelayedRetryHeaders',
      ].flatMap(headerNames),
    );
    expect([...documented].sort()).toEqual(Object.values(HEADERS).sort());
    expect(headerNames('DeadLetterHeaders')).toEqual(
      expect.arrayContaining([
        HEADERS.errorKind,
        HEADERS.errorReason,
        HEADERS.errorAt,
        HEADERS.originalTopic,
      ]),
    );
    expect(headerNames('DelayedRetryHeaders')).toEqual(
      expect.arrayContaining([HEADERS.notBefore, HEADERS.attempt]),
    );
  });

  it("describes the lead exactly as libs/contracts' inbound schema does, and the contracts' enums", () => {
    const {
      $schema: _schema,
      $id: _id,
      title: _title,
      description: _description,
      ...inbound
    } = ENHANCED_LEAD_SCHEMA as JsonSchema;
    const { description: _own, ...lead } = schemas['Lead'];
    expect(lead).toEqual(inbound);
    const enriched = schemas['LeadEnrichedV1']['properties'] as Record<string, JsonSchema>;
    const enrichment = enriched['enrichment']['properties'] as Record<string, JsonSchema>;
    expect(enriched['kind']['enum']).toEqual(LEAD_KINDS);
    expect(enrichment['tier']['enum']).toEqual(LEAD_TIERS);
    expect(
      (schemas['LeadDeliveryV1']['properties'] as Record<string, JsonSchema>)['outcome']['enum'],
    ).toEqual(DELIVERY_OUTCOMES);
  });

  it.each([
    ['LeadReceivedV1', received],
    ['LeadEnrichedV1', enriched],
    ['LeadDeliveryV1', delivery],
  ] as const)(
    'accepts a complete %s built with the contracts types, and declares each of its fields',
    (name, event) => {
      expect(errorsOf(name, event)).toEqual([]);
      expect(undeclaredFields(schemas[name], event)).toEqual([]);
    },
  );

  it('accepts events of leads that parseLead accepted, standard and enhanced', () => {
    for (const body of [aStandardLead(), anEnhancedLead()]) {
      const result = parseLead(body);
      if (!result.ok)
        throw new Error(`parseLead refused the factory's lead: ${JSON.stringify(result.errors)}`);
      const event: LeadReceivedV1 = {
        ...result.lead,
        warnings: result.warnings,
        raw: body as unknown as Record<string, unknown>,
      };
      expect(errorsOf('LeadReceivedV1', event)).toEqual([]);
    }
  });

  it('refuses events that break the contract', () => {
    const { warnings: _warnings, ...withoutWarnings } = received;
    expect(errorsOf('LeadReceivedV1', withoutWarnings)).toEqual([" must have required property 'warnings'"]);
    expect(
      errorsOf('LeadEnrichedV1', { ...enriched, enrichment: { ...enriched.enrichment, tier: 'lukewarm' } }),
    ).toEqual(['/enrichment/tier must be equal to one of the allowed values']);
    expect(errorsOf('LeadDeliveryV1', { ...delivery, delivered_at: 'yesterday' })).toEqual([
      '/delivered_at must match format "date-time"',
    ]);
    expect(errorsOf('LeadDeliveryV1', { ...delivery, outcome: 'lost' })).toEqual([
      '/outcome must be equal to one of the allowed values',
    ]);
    expect(undeclaredFields(schemas['LeadDeliveryV1'], { ...delivery, crm_url: 'https://x' })).toEqual([
      '/crm_url',
    ]);
  });

  it('bundles each event payload as a standalone draft-07 JSON Schema for the contracts package', () => {
    const bundled = eventSchemas(document);
    expect(Object.keys(bundled).sort()).toEqual(
      EVENT_SCHEMA_NAMES.map((name) => EVENT_SCHEMAS[name].file).sort(),
    );
    for (const schema of Object.values(bundled)) {
      expect(JSON.stringify(schema)).not.toContain('#/components/');
      const standalone = addFormats(new Ajv({ strict: false }));
      expect(() => standalone.compile(schema)).not.toThrow();
    }
    const validateDelivery = addFormats(new Ajv({ strict: false })).compile(
      bundled[EVENT_SCHEMAS.LeadDeliveryV1.file],
    );
    expect(validateDelivery(delivery)).toBe(true);
    expect(validateDelivery({ ...delivery, attempts: -1 })).toBe(false);
  });
});
