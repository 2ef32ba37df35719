import {
  ConnectorError,
  delivered,
  failed,
  type ConnectorLimits,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type DeliveryRecord,
  type RecordOutcome,
} from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { SalesforceAccounts } from './accounts/salesforce-accounts';
import {
  mapSalesforceLead,
  type LeadKeyFields,
  type SalesforceFields,
  type SalesforceLeadRecord,
} from './lead/salesforce-lead.mapper';
import { COLLECTION_LIMIT, type SalesforceApi } from './salesforce-api/salesforce-api.client';
import { classifyRecordFailure, classifySalesforceFailure } from './salesforce-failure.classifier';

/** The leads of one call that share an upsert key (one person, or the same lead twice): one Lead. */
interface KeyGroup {
  fields: SalesforceFields;
  indexes: number[];
}

/**
 * Leads into Salesforce: Lead upsert by an External ID field through sObject Collections (≤ 200 records,
 * allOrNone=false), per account (each may be its own org). Per person, one Lead per `person_key`, and each
 * inquiry becomes a Task on it.
 */
export class SalesforceConnector implements CrmConnector<SalesforceLeadRecord> {
  readonly destination = 'salesforce';
  /**
   * Salesforce has no per-second limit (a rolling daily allocation per org, and at most 25 requests running
   * 20 s or longer); 10 calls/s of 200 records is far below both.
   */
  readonly limits: ConnectorLimits = {
    maxBatchSize: COLLECTION_LIMIT,
    maxWaitMs: 500,
    requestsPerSecond: 10,
    burst: 10,
  };

  constructor(
    private readonly accounts: SalesforceAccounts,
    private readonly api: SalesforceApi,
    private readonly keyFields: LeadKeyFields,
  ) {}

  map(event: LeadEnrichedV1): SalesforceLeadRecord {
    return mapSalesforceLead(event, this.accounts.of(event.routing.account_id), this.keyFields);
  }

  async deliver(
    { accountId, records }: DeliveryBatch<SalesforceLeadRecord>,
    { signal }: DeliveryContext,
  ): Promise<RecordOutcome[]> {
    const account = this.accounts.of(accountId);
    if (!account.credentials) {
      throw new ConnectorError('auth', `no Salesforce credentials are configured for account ${accountId}`);
    }
    const org = { credentials: account.credentials, sharedOrg: account.sharedOrg };
    const [first] = records;
    if (!first) return [];
    const groups = groupByKey(records);
    const results = await this.api.upsertLeads(
      org,
      first.record.keyField,
      groups.map((group) => group.fields),
      signal,
    );

    const outcomes: RecordOutcome[] = [];
    const tasks: { index: number; leadId: string; fields: SalesforceFields }[] = [];
    groups.forEach((group, position) => {
      const result = results[position];
      for (const index of group.indexes) {
        const task = records[index]?.record.task;
        if (!result?.success || !result.id) outcomes[index] = failed(classifyRecordFailure(result));
        else if (task) tasks.push({ index, leadId: result.id, fields: { ...task, WhoId: result.id } });
        else outcomes[index] = delivered(result.id);
      }
    });
    if (tasks.length > 0) {
      const taskResults = await this.api.createTasks(
        org,
        tasks.map((task) => task.fields),
        signal,
      );
      tasks.forEach((task, position) => {
        const result = taskResults[position];
        outcomes[task.index] = result?.success
          ? delivered(task.leadId)
          : failed(classifyRecordFailure(result));
      });
    }
    return outcomes;
  }

  classify(error: unknown): ConnectorError {
    return classifySalesforceFailure(error);
  }
}

/**
 * One Lead per upsert key: Salesforce refuses a collection that names a key twice (DUPLICATE_VALUE on
 * each), so the inquiries of one person (or a lead delivered twice) are merged, the latest one winning.
 */
function groupByKey(records: DeliveryRecord<SalesforceLeadRecord>[]): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  const byTime = records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => a.record.event.lead.timestamp.localeCompare(b.record.event.lead.timestamp));
  for (const { record, index } of byTime) {
    const key = record.record.key.toLowerCase(); // External IDs are case-insensitive
    const group = groups.get(key);
    if (group) {
      group.fields = { ...group.fields, ...record.record.lead };
      group.indexes.push(index);
    } else {
      groups.set(key, { fields: { ...record.record.lead }, indexes: [index] });
    }
  }
  return [...groups.values()];
}
