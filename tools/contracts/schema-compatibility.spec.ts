import { breakingChanges, type JsonSchema } from './schema-compatibility';

const reason: JsonSchema = {
  type: 'object',
  required: ['factor'],
  properties: { factor: { type: 'string' } },
};
const delivery: JsonSchema = {
  type: 'object',
  required: ['lead_id', 'outcome', 'attempts', 'delivered_at'],
  properties: {
    lead_id: { type: 'string' },
    outcome: { type: 'string', enum: ['delivered', 'failed', 'dead_lettered'] },
    attempts: { type: 'integer', minimum: 0 },
    delivered_at: { type: ['string', 'null'], format: 'date-time' },
    person_key: { type: 'string' },
    reasons: { type: 'array', items: { $ref: '#/definitions/Reason' } },
  },
  definitions: { Reason: reason },
};

/** `delivery` with its `properties` and `required` changed. */
function changed(
  properties: Record<string, JsonSchema | undefined>,
  required = delivery['required'] as string[],
): JsonSchema {
  const merged = { ...(delivery['properties'] as Record<string, JsonSchema>), ...properties };
  return {
    ...delivery,
    required,
    properties: Object.fromEntries(Object.entries(merged).filter(([, field]) => field !== undefined)),
  };
}

describe('breakingChanges(released, current)', () => {
  it('finds none between a schema and itself', () => {
    expect(breakingChanges(delivery, structuredClone(delivery))).toEqual([]);
  });

  it('allows a new optional field, descriptions and a wider enum', () => {
    const current = changed({
      account_id: { type: 'string', description: 'The account the lead belongs to.' },
      outcome: { type: 'string', enum: ['delivered', 'failed', 'dead_lettered', 'skipped'] },
      attempts: { type: 'integer', minimum: 0, description: 'Attempts so far.' },
    });
    expect(breakingChanges(delivery, current)).toEqual([]);
  });

  it('reports a removed field, required or optional', () => {
    const current = changed({ attempts: undefined, person_key: undefined }, [
      'lead_id',
      'outcome',
      'delivered_at',
    ]);
    expect(breakingChanges(delivery, current)).toEqual([
      { path: '/attempts', kind: 'removed', detail: 'the field is gone' },
      { path: '/person_key', kind: 'removed', detail: 'the field is gone' },
    ]);
  });

  it('reports a retyped field: another type, null allowed or not, another format', () => {
    const current = changed({
      attempts: { type: 'string' },
      lead_id: { type: ['string', 'null'] },
      delivered_at: { type: ['string', 'null'] },
    });
    expect(breakingChanges(delivery, current)).toEqual([
      { path: '/lead_id', kind: 'retyped', detail: 'string → null | string' },
      { path: '/attempts', kind: 'retyped', detail: 'integer → string' },
      { path: '/delivered_at', kind: 'retyped', detail: 'format date-time → (none)' },
    ]);
  });

  it('reports an optional field made required, a new required field, and a required field made optional', () => {
    const current = changed({ account_id: { type: 'string' } }, [
      'lead_id',
      'outcome',
      'attempts',
      'person_key',
      'account_id',
    ]);
    expect(breakingChanges(delivery, current)).toEqual([
      { path: '/delivered_at', kind: 'required-removed', detail: 'required, now optional' },
      { path: '/person_key', kind: 'required-added', detail: 'optional, now required' },
      { path: '/account_id', kind: 'required-added', detail: 'a new field must be optional' },
    ]);
  });

  it('reports an enum that lost a value, and an enum put on a field that had none', () => {
    const current = changed({
      outcome: { type: 'string', enum: ['delivered', 'failed'] },
      lead_id: { type: 'string', enum: ['lead-1'] },
    });
    expect(breakingChanges(delivery, current)).toEqual([
      { path: '/lead_id', kind: 'enum-narrowed', detail: 'now limited to ["lead-1"]' },
      { path: '/outcome', kind: 'enum-narrowed', detail: 'no longer allows "dead_lettered"' },
    ]);
  });

  it('follows $ref, allOf and array items into nested fields', () => {
    const released: JsonSchema = {
      allOf: [
        { $ref: '#/definitions/Lead' },
        { type: 'object', properties: { warnings: { type: 'array' } } },
      ],
      definitions: { Lead: delivery, Reason: reason },
    };
    const current: JsonSchema = {
      allOf: [
        { $ref: '#/definitions/Lead' },
        {
          type: 'object',
          required: ['raw'],
          properties: { warnings: { type: 'array' }, raw: { type: 'object' } },
        },
      ],
      definitions: {
        Lead: changed({
          reasons: {
            type: 'array',
            items: { type: 'object', required: ['factor'], properties: { factor: { type: 'integer' } } },
          },
        }),
      },
    };
    expect(breakingChanges(released, current)).toEqual([
      { path: '/reasons/*/factor', kind: 'retyped', detail: 'string → integer' },
      { path: '/raw', kind: 'required-added', detail: 'a new field must be optional' },
    ]);
  });
});
