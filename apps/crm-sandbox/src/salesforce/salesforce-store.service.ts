import { Inject, Injectable } from '@nestjs/common';
import { salesforceId } from './salesforce-id';
import type { SalesforceOrg } from './salesforce-orgs';
import { SalesforceConfig } from './salesforce.config';
import type { SObjectType } from './sobject-schema';

export type FieldValue = string | number | boolean | null;

export interface StoredRecord {
  Id: string;
  type: SObjectType;
  /** Field values by their canonical names; system fields (Id, dates, audit ids) are kept apart. */
  fields: Record<string, FieldValue>;
  createdAt: number;
  updatedAt: number;
  /** How many saves created or changed it: a retry storm shows up here. */
  writes: number;
}

export const SALESFORCE_ORGS = Symbol('SALESFORCE_ORGS');

/** The rest of a query's result set, kept for `nextRecordsUrl` (Salesforce: a query locator). */
export interface QueryCursor {
  records: unknown[];
  usedAt: number;
}

/** Salesforce drops a query locator after this much inactivity. */
export const QUERY_CURSOR_IDLE_MS = 15 * 60_000;

/** The records of one org (its API usage: ApiUsage). Records are replaced, never mutated, so a snapshot is a shallow copy. */
export class OrgData {
  records = new Map<string, StoredRecord>();
  /** External-id field → lower-cased value → record id (External ID + Unique, case-insensitive). */
  private externalIds = new Map<string, Map<string, string>>();
  private sequence = 0;
  private readonly queryCursors = new Map<string, QueryCursor>();
  private cursorSequence = 0;

  constructor(
    readonly org: SalesforceOrg,
    private readonly externalIdFields: string[],
  ) {}

  nextId(prefix: string): string {
    this.sequence += 1;
    return salesforceId(prefix, this.sequence);
  }

  get(id: string, type?: SObjectType): StoredRecord | undefined {
    const record = this.records.get(id);
    return record && (type === undefined || record.type === type) ? record : undefined;
  }

  findByExternalId(field: string, value: string): StoredRecord | undefined {
    const id = this.externalIds.get(field)?.get(value.toLowerCase());
    return id === undefined ? undefined : this.records.get(id);
  }

  put(record: StoredRecord): void {
    const previous = this.records.get(record.Id);
    for (const field of this.externalIdFields) {
      const before = previous?.fields[field];
      if (typeof before === 'string') this.externalIds.get(field)?.delete(before.toLowerCase());
      const after = record.fields[field];
      if (typeof after === 'string' && after !== '') {
        let index = this.externalIds.get(field);
        if (!index) this.externalIds.set(field, (index = new Map()));
        index.set(after.toLowerCase(), record.Id);
      }
    }
    this.records.set(record.Id, record);
  }

  remove(id: string): void {
    const record = this.records.get(id);
    if (!record) return;
    for (const field of this.externalIdFields) {
      const value = record.fields[field];
      if (typeof value === 'string') this.externalIds.get(field)?.delete(value.toLowerCase());
    }
    this.records.delete(id);
  }

  /** Keeps a result set for its next pages; returns the locator id (key prefix 01g). */
  openCursor(records: unknown[], now: number): string {
    for (const [id, cursor] of this.queryCursors) {
      if (now - cursor.usedAt > QUERY_CURSOR_IDLE_MS) this.queryCursors.delete(id);
    }
    this.cursorSequence += 1;
    const id = salesforceId('01g', this.cursorSequence);
    this.queryCursors.set(id, { records, usedAt: now });
    return id;
  }

  cursor(id: string, now: number): QueryCursor | undefined {
    const cursor = this.queryCursors.get(id);
    if (!cursor || now - cursor.usedAt > QUERY_CURSOR_IDLE_MS) return undefined;
    cursor.usedAt = now;
    return cursor;
  }

  closeCursor(id: string): void {
    this.queryCursors.delete(id);
  }

  ofType(type: SObjectType): StoredRecord[] {
    return [...this.records.values()].filter((record) => record.type === type);
  }

  snapshot(): () => void {
    const records = new Map(this.records);
    const externalIds = new Map([...this.externalIds].map(([field, index]) => [field, new Map(index)]));
    return () => {
      this.records = records;
      this.externalIds = externalIds;
    };
  }

  clear(): void {
    this.records.clear();
    this.externalIds.clear();
    this.queryCursors.clear();
  }
}

@Injectable()
export class SalesforceStore {
  private readonly orgs: Map<string, OrgData>;

  constructor(@Inject(SALESFORCE_ORGS) orgs: SalesforceOrg[], config: SalesforceConfig) {
    this.orgs = new Map(
      orgs.map((org) => [org.orgId, new OrgData(org, config.SALESFORCE_LEAD_EXTERNAL_ID_FIELDS)]),
    );
  }

  org(orgId: string): OrgData | undefined {
    return this.orgs.get(orgId);
  }

  all(): OrgData[] {
    return [...this.orgs.values()];
  }

  reset(): void {
    for (const org of this.orgs.values()) org.clear();
  }
}
