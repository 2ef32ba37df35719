import { Inject, Injectable } from '@nestjs/common';
import { FaultInjector } from '../faults/fault-injector.service';
import { KEY_PREFIXES, normalizeId } from './salesforce-id';
import { SalesforceConfig } from './salesforce.config';
import { SalesforceError, jsonParserError } from './salesforce.error';
import type { FieldValue, OrgData, StoredRecord } from './salesforce-store.service';
import {
  sobjectTypeOf,
  type FieldDef,
  type SObjectSchema,
  type SObjectSchemas,
  type SObjectType,
} from './sobject-schema';

/** A per-record error in a save result (collections use `statusCode`, single-record REST errors `errorCode`). */
export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface SaveResult {
  id?: string;
  success: boolean;
  errors: SaveError[];
  created?: boolean;
}

export interface SaveOptions {
  /** `Sforce-Duplicate-Rule-Header: allowSave=true`: alert-level duplicate rules let the save through. */
  allowSave: boolean;
}

export const SOBJECT_SCHEMAS = Symbol('SOBJECT_SCHEMAS');
const MAX_COLLECTION_RECORDS = 200;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const saveError = (statusCode: string, message: string, fields: string[] = []): SaveError => ({
  statusCode,
  message,
  fields,
});

const ROLLED_BACK = saveError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

/**
 * What a save does in Salesforce: field checks in the order the platform runs them (field access, types and
 * lengths, required fields, then validation rules, unique external ids and duplicate rules), upsert by an
 * external id, and sObject Collections with `allOrNone`.
 */
@Injectable()
export class SalesforceDml {
  constructor(
    private readonly config: SalesforceConfig,
    @Inject(SOBJECT_SCHEMAS) private readonly schemas: SObjectSchemas,
    private readonly faults: FaultInjector,
  ) {}

  schema(type: SObjectType): SObjectSchema {
    return this.schemas[type];
  }

  /**
   * The fields of a record body, by canonical name. An unknown field or a value of the wrong JSON type fails
   * the whole request, as Salesforce's JSON reader does.
   */
  readFields(schema: SObjectSchema, body: unknown): Record<string, FieldValue> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw jsonParserError(`Cannot deserialize instance of ${schema.name} from ${describeJson(body)} value`);
    }
    const fields: Record<string, FieldValue> = {};
    for (const [name, value] of Object.entries(body)) {
      if (name === 'attributes') continue;
      const field = schema.field(name);
      if (!field) {
        throw SalesforceError.of(
          400,
          'INVALID_FIELD',
          `No such column '${name}' on sobject of type ${schema.name}`,
        );
      }
      fields[field.name] = readValue(field, value);
    }
    return fields;
  }

  /** Upsert one record by an external id (`PATCH …/sobjects/Lead/<field>/<value>`). */
  upsert(
    org: OrgData,
    schema: SObjectSchema,
    externalIdField: FieldDef,
    value: string,
    changes: Record<string, FieldValue>,
    options: SaveOptions,
  ): SaveResult {
    const existing = org.findByExternalId(externalIdField.name, value);
    const { [externalIdField.name]: _key, ...rest } = changes;
    const fields = existing ? rest : { ...rest, [externalIdField.name]: value };
    const errors = this.validate(org, schema, fields, existing, options);
    if (errors.length > 0) return { success: false, errors, created: false };
    const saved = this.save(org, schema, fields, existing);
    return { id: saved.Id, success: true, errors: [], created: existing === undefined };
  }

  create(
    org: OrgData,
    schema: SObjectSchema,
    fields: Record<string, FieldValue>,
    options: SaveOptions,
  ): SaveResult {
    const errors = this.validate(org, schema, fields, undefined, options);
    if (errors.length > 0) return { success: false, errors };
    return { id: this.save(org, schema, fields, undefined).Id, success: true, errors: [] };
  }

  /** sObject Collections upsert: results in request order; `allOrNone` saves all or nothing. */
  upsertMany(
    org: OrgData,
    schema: SObjectSchema,
    externalIdField: FieldDef,
    records: unknown,
    allOrNone: boolean,
    options: SaveOptions,
  ): SaveResult[] {
    const bodies = this.collection(records, (type) => type === schema.name, schema.name).map((body) =>
      this.readFields(schema, body),
    );
    const keys = bodies.map((fields) => fields[externalIdField.name]);
    const occurrences = new Map<string, number>();
    for (const key of keys) {
      if (typeof key === 'string')
        occurrences.set(key.toLowerCase(), (occurrences.get(key.toLowerCase()) ?? 0) + 1);
    }
    return this.atomically(org, allOrNone, () =>
      bodies.map((fields, index): SaveResult => {
        const key = keys[index];
        if (typeof key !== 'string' || key === '') {
          return {
            success: false,
            errors: [
              saveError('MISSING_ARGUMENT', `${externalIdField.name} not specified`, [externalIdField.name]),
            ],
            created: false,
          };
        }
        if ((occurrences.get(key.toLowerCase()) ?? 0) > 1) {
          return {
            success: false,
            errors: [
              saveError('DUPLICATE_VALUE', `Duplicate external id specified: ${key}`, [externalIdField.name]),
            ],
            created: false,
          };
        }
        return this.upsert(org, schema, externalIdField, key, fields, options);
      }),
    );
  }

  /** sObject Collections create (`POST …/composite/sobjects`): records of any supported type. */
  createMany(org: OrgData, records: unknown, allOrNone: boolean, options: SaveOptions): SaveResult[] {
    const typed = this.collection(records, (type) => sobjectTypeOf(type) !== undefined).map((body) => {
      const schema = this.schemas[sobjectTypeOf(typeOf(body)) as SObjectType];
      return { schema, fields: this.readFields(schema, body) };
    });
    return this.atomically(org, allOrNone, () =>
      typed.map(({ schema, fields }) => this.create(org, schema, fields, options)),
    );
  }

  private collection(
    records: unknown,
    accepts: (type: string) => boolean,
    uriType?: string,
  ): Record<string, unknown>[] {
    if (!Array.isArray(records)) throw jsonParserError('records: expected an array of sObjects');
    if (records.length > MAX_COLLECTION_RECORDS) {
      throw SalesforceError.of(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
      );
    }
    return records.map((record, index) => {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw jsonParserError(
          `records[${index}]: Cannot deserialize instance of SObject from ${describeJson(record)} value`,
        );
      }
      const type = typeOf(record);
      if (type === '') {
        throw SalesforceError.of(
          400,
          'INVALID_INPUT',
          `records[${index}]: every record needs attributes with a type`,
        );
      }
      if (!accepts(type)) {
        throw SalesforceError.of(
          400,
          'INVALID_TYPE',
          uriType
            ? `records[${index}]: the record type ${type} is not the type of this request, ${uriType}`
            : `sObject type '${type}' is not supported.`,
        );
      }
      return record as Record<string, unknown>;
    });
  }

  private atomically(org: OrgData, allOrNone: boolean, work: () => SaveResult[]): SaveResult[] {
    if (!allOrNone) return work();
    const restore = org.snapshot();
    const results = work();
    if (results.every((result) => result.success)) return results;
    restore();
    return results.map((result) =>
      result.success
        ? { success: false, errors: [ROLLED_BACK], ...('created' in result ? { created: false } : {}) }
        : result,
    );
  }

  private validate(
    org: OrgData,
    schema: SObjectSchema,
    changes: Record<string, FieldValue>,
    existing: StoredRecord | undefined,
    options: SaveOptions,
  ): SaveError[] {
    const errors: SaveError[] = [];
    const writable = ([name]: [string, FieldValue]) => {
      const field = schema.field(name) as FieldDef;
      return existing ? field.updateable : field.createable;
    };
    const entries = Object.entries(changes);
    const forbidden = entries.filter((entry) => !writable(entry)).map(([name]) => name);
    if (forbidden.length > 0) {
      errors.push(
        saveError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${forbidden.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          forbidden,
        ),
      );
    }
    for (const [name, value] of entries.filter(writable)) {
      const problem =
        value === null ? undefined : this.fieldProblem(org, schema.field(name) as FieldDef, value);
      if (problem) errors.push(problem);
    }
    const merged = {
      ...(existing ? existing.fields : this.defaults(schema, org)),
      ...Object.fromEntries(entries.filter(writable)),
    };
    const missing = schema.fields
      .filter(
        ({ name, required }) =>
          required && (merged[name] === undefined || merged[name] === null || merged[name] === ''),
      )
      .map(({ name }) => name);
    if (missing.length > 0) {
      errors.push(
        saveError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing),
      );
    }
    if (errors.length > 0) return errors;
    return this.orgRules(org, schema, merged, existing, options);
  }

  /** Checks that run on a record that is otherwise valid: validation rules, unique external ids, duplicate rules. */
  private orgRules(
    org: OrgData,
    schema: SObjectSchema,
    merged: Record<string, FieldValue>,
    existing: StoredRecord | undefined,
    options: SaveOptions,
  ): SaveError[] {
    if (schema.name !== 'Lead') return [];
    for (const rule of this.faults.validationRules('salesforce', org.org.orgId)) {
      const field = schema.field(rule.field);
      const value = field ? merged[field.name] : undefined;
      if (new RegExp(rule.pattern).test(value === undefined || value === null ? '' : String(value))) {
        return [saveError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, field ? [field.name] : [])];
      }
    }
    for (const field of schema.fields.filter(({ externalId }) => externalId)) {
      const value = merged[field.name];
      const other =
        typeof value === 'string' && value !== '' ? org.findByExternalId(field.name, value) : undefined;
      if (other && other.Id !== existing?.Id) {
        return [
          saveError(
            'DUPLICATE_VALUE',
            `duplicate value found: ${field.name} duplicates value on record with id: ${other.Id}`,
            [field.name],
          ),
        ];
      }
    }
    const rule = this.config.SALESFORCE_LEAD_DUPLICATE_RULE;
    const email = merged['Email'];
    if (
      rule === 'off' ||
      (rule === 'alert' && options.allowSave) ||
      typeof email !== 'string' ||
      email === ''
    )
      return [];
    const duplicate = org
      .ofType('Lead')
      .some(
        (lead) =>
          lead.Id !== existing?.Id &&
          String(lead.fields['Email'] ?? '').toLowerCase() === email.toLowerCase(),
      );
    return duplicate ? [saveError('DUPLICATES_DETECTED', 'Use one of these records?')] : [];
  }

  private fieldProblem(
    org: OrgData,
    field: FieldDef,
    value: string | number | boolean,
  ): SaveError | undefined {
    const fields = [field.name];
    if (typeof value === 'string' && field.length !== undefined && value.length > field.length) {
      return saveError(
        'STRING_TOO_LONG',
        `${field.label}: data value too large: ${value} (max length=${field.length})`,
        fields,
      );
    }
    switch (field.type) {
      case 'email':
        return EMAIL.test(String(value))
          ? undefined
          : saveError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, fields);
      case 'picklist':
        return field.restricted && !field.picklistValues?.includes(String(value))
          ? saveError(
              'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
              `${field.label}: bad value for restricted picklist field: ${value}`,
              fields,
            )
          : undefined;
      case 'date':
        return DATE.test(String(value)) && !Number.isNaN(Date.parse(String(value)))
          ? undefined
          : saveError(
              'INVALID_TYPE_ON_FIELD_IN_RECORD',
              `${field.label}: value not of required type: ${value}`,
              fields,
            );
      case 'reference':
        return referenceProblem(org, field, String(value));
      default:
        return undefined;
    }
  }

  /**
   * Inserts a record as it is, without the org's checks (the admin API's history seeding, which must be fast
   * and trusted); the record still gets its defaults, id and dates.
   */
  insertTrusted(org: OrgData, type: SObjectType, fields: Record<string, FieldValue>): StoredRecord {
    return this.save(org, this.schemas[type], fields, undefined);
  }

  private defaults(schema: SObjectSchema, org: OrgData): Record<string, FieldValue> {
    const defaults: Record<string, FieldValue> = { OwnerId: org.org.userId };
    for (const { name, defaultValue } of schema.fields) {
      if (defaultValue !== undefined) defaults[name] = defaultValue;
    }
    return defaults;
  }

  private save(
    org: OrgData,
    schema: SObjectSchema,
    changes: Record<string, FieldValue>,
    existing: StoredRecord | undefined,
  ): StoredRecord {
    const now = Date.now();
    const record: StoredRecord = {
      Id: existing?.Id ?? org.nextId(schema.keyPrefix),
      type: schema.name,
      fields: { ...(existing ? existing.fields : this.defaults(schema, org)), ...changes },
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      writes: (existing?.writes ?? 0) + 1,
    };
    for (const [name, value] of Object.entries(changes)) {
      if (value !== null && schema.field(name)?.type === 'reference')
        record.fields[name] = normalizeId(String(value)) ?? value;
    }
    org.put(record);
    return record;
  }

  /**
   * sObject Collections update (`PATCH …/composite/sobjects`): each record names its `id` and type; results
   * in request order.
   */
  updateMany(org: OrgData, records: unknown, allOrNone: boolean, options: SaveOptions): SaveResult[] {
    const typed = this.collection(records, (type) => sobjectTypeOf(type) !== undefined).map((body) => {
      const schema = this.schemas[sobjectTypeOf(typeOf(body)) as SObjectType];
      const { id, Id, ...rest } = body as { id?: unknown; Id?: unknown };
      const given = typeof id === 'string' ? id : typeof Id === 'string' ? Id : '';
      return { schema, id: normalizeId(given), fields: this.readFields(schema, rest) };
    });
    return this.atomically(org, allOrNone, () =>
      typed.map(({ schema, id, fields }): SaveResult => {
        const existing = id === undefined ? undefined : org.get(id, schema.name);
        if (!existing) {
          return { success: false, errors: [saveError('ENTITY_IS_DELETED', 'entity is deleted')] };
        }
        const errors = this.validate(org, schema, fields, existing, options);
        if (errors.length > 0) return { success: false, errors };
        return { id: this.save(org, schema, fields, existing).Id, success: true, errors: [] };
      }),
    );
  }

  /**
   * sObject Collections delete (`DELETE …/composite/sobjects?ids=…`): one DeleteResult per id, in order.
   * Deleting a Lead deletes its activities (Tasks whose WhoId names it), as Salesforce does.
   */
  deleteMany(org: OrgData, ids: string[], allOrNone: boolean): SaveResult[] {
    if (ids.length > MAX_COLLECTION_RECORDS) {
      throw SalesforceError.of(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
      );
    }
    return this.atomically(org, allOrNone, () =>
      ids.map((given): SaveResult => {
        const id = normalizeId(given);
        if (!id) return { success: false, errors: [saveError('MALFORMED_ID', `malformed id ${given}`)] };
        const record = org.get(id);
        if (!record) return { success: false, errors: [saveError('ENTITY_IS_DELETED', 'entity is deleted')] };
        if (record.type === 'Lead') {
          for (const task of org.ofType('Task')) if (task.fields['WhoId'] === id) org.remove(task.Id);
        }
        org.remove(id);
        return { id: given, success: true, errors: [] };
      }),
    );
  }
}

function referenceProblem(org: OrgData, field: FieldDef, value: string): SaveError | undefined {
  const fields = [field.name];
  const id = normalizeId(value);
  if (!id) return saveError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, fields);
  const targets = field.referenceTo ?? [];
  const prefixes = targets.map((target) => KEY_PREFIXES[target]);
  if (!prefixes.includes(id.slice(0, 3) as (typeof prefixes)[number])) {
    return saveError(
      'FIELD_INTEGRITY_EXCEPTION',
      `${field.label}: id value of incorrect type: ${value}`,
      fields,
    );
  }
  const exists = targets.includes('User') ? id === org.org.userId : org.get(id) !== undefined;
  return exists ? undefined : saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', fields);
}

function typeOf(record: unknown): string {
  const attributes = (record as { attributes?: unknown }).attributes;
  const type =
    typeof attributes === 'object' && attributes !== null
      ? (attributes as { type?: unknown }).type
      : undefined;
  return typeof type === 'string' ? type : '';
}

/** A JSON value read into a field: numbers and booleans are read into text fields, nothing else converts. */
function readValue(field: FieldDef, value: unknown): FieldValue {
  if (value === null) return null;
  const wrongType = () =>
    jsonParserError(
      `Cannot deserialize instance of ${field.type} from ${describeJson(value)} value ${JSON.stringify(value)} for field ${field.name}`,
    );
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw wrongType();
    case 'int':
    case 'currency': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (
        typeof number === 'number' &&
        Number.isFinite(number) &&
        (field.type !== 'int' || Number.isInteger(number))
      )
        return number;
      throw wrongType();
    }
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw wrongType();
  }
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (value === null) return 'VALUE_NULL';
  if (typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return 'VALUE_NUMBER';
  return 'VALUE_TRUE_OR_FALSE';
}
