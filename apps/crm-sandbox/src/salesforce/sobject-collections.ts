import type { SalesforceDml, SaveOptions, SaveResult } from './salesforce-dml.service';
import type { OrgData } from './salesforce-store.service';
import { jsonParserError, resourceNotFound } from './salesforce.error';
import { externalIdFieldOf, majorVersionOf, schemaOf } from './sobject-rows';

/** The body of an sObject Collections write: `{allOrNone, records: […]}`. */
export interface CollectionBody {
  records: unknown;
  allOrNone: boolean;
}

export function readCollection(body: unknown): CollectionBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw jsonParserError('Cannot deserialize the request body: expected {"allOrNone": …, "records": […]}');
  }
  const { records, allOrNone = false } = body as { records?: unknown; allOrNone?: unknown };
  if (typeof allOrNone !== 'boolean')
    throw jsonParserError(`allOrNone: expected true or false, got ${JSON.stringify(allOrNone)}`);
  return { records, allOrNone };
}

/** `POST …/composite/sobjects` (API 42.0+): one save result per record, in order. */
export function createCollection(
  dml: SalesforceDml,
  org: OrgData,
  version: string,
  { records, allOrNone }: CollectionBody,
  options: SaveOptions,
): SaveResult[] {
  requireVersion(version, 42);
  return dml.createMany(org, records, allOrNone, options);
}

/** `PATCH …/composite/sobjects/<type>/<external id field>` (API 46.0+): one save result per record, in order. */
export function upsertCollection(
  dml: SalesforceDml,
  org: OrgData,
  request: { version: string; type: string; field: string },
  { records, allOrNone }: CollectionBody,
  options: SaveOptions,
): SaveResult[] {
  requireVersion(request.version, 46);
  const schema = schemaOf(dml, request.type);
  const field = externalIdFieldOf(schema, request.field);
  return dml.upsertMany(org, schema, field, records, allOrNone, options);
}

function requireVersion(version: string, minimum: number): void {
  if (!(majorVersionOf(version) >= minimum)) throw resourceNotFound();
}
