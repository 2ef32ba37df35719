import { withOpenApi31Nullability } from './openapi-31-nullability';

describe('withOpenApi31Nullability', () => {
  it('turns a nullable type into a type union, keeping its other keywords', () => {
    expect(withOpenApi31Nullability({ type: 'string', format: 'date-time', nullable: true })).toEqual({
      type: ['string', 'null'],
      format: 'date-time',
    });
  });

  it('adds null to the values of a nullable enum', () => {
    expect(withOpenApi31Nullability({ type: 'string', enum: ['hot', 'cold'], nullable: true })).toEqual({
      type: ['string', 'null'],
      enum: ['hot', 'cold', null],
    });
  });

  it('turns a nullable reference into anyOf the reference and null, annotations beside the union', () => {
    const ref = { $ref: '#/components/schemas/Enrichment' };
    expect(
      withOpenApi31Nullability({ type: 'object', nullable: true, description: 'once scored', allOf: [ref] }),
    ).toEqual({ description: 'once scored', anyOf: [ref, { type: 'null' }] });
  });

  it('keeps a nullable composite whole in its branch', () => {
    const oneOf = [{ type: 'string' }, { type: 'number' }];
    expect(withOpenApi31Nullability({ oneOf, nullable: true })).toEqual({
      anyOf: [{ oneOf }, { type: 'null' }],
    });
  });

  it('drops nullable: false and rewrites at any depth, leaving the rest of the document as it is', () => {
    const document = {
      openapi: '3.1.0',
      paths: { '/x': { get: { parameters: [{ name: 'a', schema: { type: 'integer', nullable: false } }] } } },
      components: {
        schemas: {
          Page: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: { type: 'number', nullable: true } } },
          },
        },
      },
    };
    expect(withOpenApi31Nullability(document)).toEqual({
      openapi: '3.1.0',
      paths: { '/x': { get: { parameters: [{ name: 'a', schema: { type: 'integer' } }] } } },
      components: {
        schemas: {
          Page: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: { type: ['number', 'null'] } } },
          },
        },
      },
    });
  });

  it('changes nothing on a second pass', () => {
    const once = withOpenApi31Nullability({
      a: { type: 'string', nullable: true },
      b: { allOf: [{ $ref: '#/x' }], nullable: true },
    });
    expect(withOpenApi31Nullability(once)).toEqual(once);
  });
});
