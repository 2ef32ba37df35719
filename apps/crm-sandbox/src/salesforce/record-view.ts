import type { OrgData, StoredRecord } from './salesforce-store.service';
import type { SObjectSchema } from './sobject-schema';

/** Salesforce's datetime format: `2026-05-01T12:00:00.000+0000`. */
export const salesforceDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** A record as the REST API returns it: every field of the object, null when unset. */
export function recordView(schema: SObjectSchema, record: StoredRecord, org: OrgData, apiVersion: string) {
  const system: Record<string, unknown> = {
    Id: record.Id,
    CreatedDate: salesforceDateTime(record.createdAt),
    CreatedById: org.org.userId,
    LastModifiedDate: salesforceDateTime(record.updatedAt),
    LastModifiedById: org.org.userId,
    SystemModstamp: salesforceDateTime(record.updatedAt),
  };
  return {
    attributes: {
      type: schema.name,
      url: `/services/data/${apiVersion}/sobjects/${schema.name}/${record.Id}`,
    },
    ...Object.fromEntries(
      schema.fields.map(({ name }) => [name, name in system ? system[name] : (record.fields[name] ?? null)]),
    ),
  };
}
