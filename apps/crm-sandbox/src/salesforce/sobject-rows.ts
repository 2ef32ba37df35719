import type { SalesforceDml, SaveOptions } from './salesforce-dml.service';
import { asRestErrors } from './salesforce-request';
import type { OrgData } from './salesforce-store.service';
import { SalesforceError, resourceNotFound } from './salesforce.error';
import { sobjectTypeOf, type FieldDef, type SObjectSchema } from './sobject-schema';

/** What a single-record call answers: its status and body (none for a 204). */
export interface RowAnswer {
  status: number;
  body?: unknown;
}

/** The API version of a path segment such as `v62.0`. */
export const majorVersionOf = (version: string) => Number(/\d+/.exec(version)?.[0]);

export function schemaOf(dml: SalesforceDml, type: string): SObjectSchema {
  const name = sobjectTypeOf(type);
  if (!name) throw resourceNotFound();
  return dml.schema(name);
}

export function externalIdFieldOf(schema: SObjectSchema, name: string): FieldDef {
  const field = schema.field(name);
  if (!field?.externalId) {
    throw SalesforceError.of(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`,
    );
  }
  return field;
}

/** `POST …/sobjects/<type>`: 201 with the save result, or a SalesforceError (400) with its errors. */
export function createRow(
  dml: SalesforceDml,
  org: OrgData,
  type: string,
  body: unknown,
  options: SaveOptions,
): RowAnswer {
  const schema = schemaOf(dml, type);
  const result = dml.create(org, schema, dml.readFields(schema, body), options);
  if (!result.success) throw new SalesforceError(400, asRestErrors(result.errors));
  return { status: 201, body: result };
}

/**
 * `PATCH …/sobjects/<type>/<field>/<value>`: 201 created / 200 updated (`created` from API 46.0; 204 on
 * update before), or a SalesforceError with its errors.
 */
export function upsertRow(
  dml: SalesforceDml,
  org: OrgData,
  request: {
    type: string;
    field: string;
    value: string;
    body: unknown;
    version: string;
    updateOnly: boolean;
  },
  options: SaveOptions,
): RowAnswer {
  const schema = schemaOf(dml, request.type);
  const field = externalIdFieldOf(schema, request.field);
  const { value } = request;
  const changes = dml.readFields(schema, request.body);
  const inBody = changes[field.name];
  if (inBody !== undefined && String(inBody).toLowerCase() !== value.toLowerCase()) {
    throw SalesforceError.of(
      400,
      'INVALID_FIELD',
      `${field.name} in the request body does not match the external id in the URL`,
      [field.name],
    );
  }
  if (request.updateOnly && !org.findByExternalId(field.name, value)) throw resourceNotFound();
  const result = dml.upsert(org, schema, field, value, changes, options);
  if (!result.success) throw new SalesforceError(400, asRestErrors(result.errors));
  const withCreated = majorVersionOf(request.version) >= 46;
  if (result.created) {
    const { created: _created, ...legacy } = result;
    return { status: 201, body: withCreated ? result : legacy };
  }
  return withCreated ? { status: 200, body: result } : { status: 204 };
}
