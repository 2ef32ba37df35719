import {
  carriesLeadMarker,
  ConnectorError,
  type ConnectorLimits,
  type Credential,
  type CrmConnector,
  delivered,
  type DeliveryBatch,
  type DeliveryContext,
  type DeliveryRecord,
  failed,
  nothingWritten,
  oldestLeadFirst,
  RecentWrites,
  type RecordOutcome,
} from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { salesforceCredentialOf, type SalesforceAccounts } from './accounts/salesforce-accounts';
import {
  mapSalesforceLead,
  type LeadKeyFields,
  type SalesforceFields,
  type SalesforceLeadRecord,
} from './lead/salesforce-lead.mapper';
import {
  COLLECTION_LIMIT,
  type SalesforceApi,
  type SaveResult,
} from './salesforce-api/salesforce-api.client';
import type { SalesforceOrg } from './salesforce-api/salesforce-sessions';
import { wasRefused } from './salesforce-api/salesforce-api.error';
import { classifyRecordFailure, classifySalesforceFailure } from './salesforce-failure.classifier';

/** The leads of one call that share an upsert key (one person, or the same lead twice): one Lead. */
interface KeyGroup {
  fields: SalesforceFields;
  indexes: number[];
}

/** The Task of one lead, on its Lead, for the records that carry the lead. */
interface LeadTaskToCreate {
  whoId: string;
  /** The Lead's entry in the recent Leads; `fromCache`: this call did not upsert it. */
  recentKey: string;
  fromCache: boolean;
  /** The upsert did not create the Lead, and an earlier call may have written this lead's Task. */
  mayExist: boolean;
  indexes: number[];
  fields: SalesforceFields;
}

/**
 * Leads into Salesforce: Lead upsert by an External ID field through sObject Collections (≤ 200 records,
 * allOrNone=false), per account (each may be its own org). Per person, one Lead per `person_key`, and each
 * inquiry becomes a Task on it, unless the Lead already has the lead's Task (a redelivery).
 */
export class SalesforceConnector implements CrmConnector<SalesforceLeadRecord> {
  readonly destination = 'salesforce';
  /**
   * Salesforce has no per-second limit (a rolling daily allocation per org, reported in Sforce-Limit-Info,
   * and at most 25 requests running 20 s or longer); 250 calls per 10 s per org is far below both.
   */
  readonly limits: ConnectorLimits = {
    maxBatchSize: COLLECTION_LIMIT,
    callsPerWindow: 250,
    callWindowMs: 10_000,
  };

  constructor(
    private readonly accounts: SalesforceAccounts,
    private readonly api: SalesforceApi,
    private readonly keyFields: LeadKeyFields,
    private readonly options: { compositeWrites: boolean } = { compositeWrites: true },
    /**
     * Lead ids this process upserted moments ago, by account, key field and the exact fields written: a lead
     * retried because its Task could not be created finds its Lead here and skips a second, identical upsert.
     * Under 20 % failed calls a per-person delivery (upsert, then Task) then costs one extra call per failed
     * Task, not two, so its retries fail less often and fewer leads run out of attempts.
     */
    private readonly recent = new RecentWrites<string>(),
  ) {}

  map(event: LeadEnrichedV1): SalesforceLeadRecord {
    return mapSalesforceLead(event, this.accounts.of(event.routing.account_id), this.keyFields);
  }

  async deliver(
    { accountId, records }: DeliveryBatch<SalesforceLeadRecord>,
    { signal, budget }: DeliveryContext,
  ): Promise<RecordOutcome[]> {
    const account = this.accounts.of(accountId);
    if (!account.credentials) {
      throw new ConnectorError('auth', `no Salesforce credentials are configured for account ${accountId}`);
    }
    const org = { credentials: account.credentials, sharedOrg: account.sharedOrg, budget };
    const [first] = records;
    if (!first) return [];
    const groups = groupByKey(records);
    // Until the Tasks call, nothing is written that a retry could duplicate (a Lead upsert is idempotent).
    const beforeTasks = <T>(step: Promise<T>) =>
      step.catch((error: unknown) => Promise.reject(nothingWritten(error)));
    // A Lead this process upserted moments ago with the same fields (its Task then failed) is not upserted
    // again: the retry resumes at the Task.
    const recentKeys = groups.map((group) =>
      RecentWrites.keyOf(accountId, first.record.keyField, group.fields),
    );
    const known = recentKeys.map((key) => this.recent.get(key));
    if (this.options.compositeWrites && fitsOneCall(records, groups, known)) {
      return this.deliverInOneCall(org, accountId, records, { groups, recentKeys, known }, signal);
    }
    const toUpsert = groups.filter((_, position) => known[position] === undefined);
    const upserted =
      toUpsert.length === 0
        ? []
        : await beforeTasks(
            this.api.upsertLeads(
              org,
              first.record.keyField,
              toUpsert.map((group) => group.fields),
              signal,
            ),
          );
    let next = 0;
    const results = groups.map((_, position): SaveResult | undefined => {
      const leadId = known[position];
      return leadId === undefined
        ? upserted[next++]
        : { id: leadId, success: true, created: false, errors: [] };
    });

    const outcomes: RecordOutcome[] = [];
    // One Task per lead: a lead twice in this call (sent twice, redelivered) shares it.
    const tasks = new Map<string, LeadTaskToCreate>();
    groups.forEach((group, position) => {
      const result = results[position];
      const recentKey = recentKeys[position] as string;
      const fromCache = known[position] !== undefined;
      const withTask = group.indexes.some((index) => records[index]?.record.task);
      if (withTask && !fromCache && result?.success && result.id) this.recent.set(recentKey, result.id);
      for (const index of group.indexes) {
        const record = records[index];
        const task = record?.record.task;
        if (!result?.success || !result.id)
          outcomes[index] = failed(nothingWritten(classifyRecordFailure(result)));
        else if (!task || !record) outcomes[index] = delivered(result.id);
        else {
          const pending = tasks.get(record.key);
          if (pending) pending.indexes.push(index);
          else
            tasks.set(record.key, {
              whoId: result.id,
              recentKey,
              fromCache,
              mayExist: result.created !== true && record.outcomeUnknown !== false,
              indexes: [index],
              fields: { ...task, WhoId: result.id },
            });
        }
      }
    });

    // A lead the ledger cannot vouch for (an earlier call's answer was lost) may already have its Task on
    // a Lead that existed before this call. Only those Leads' Tasks are read; the other inquiries get
    // their Task at once, so the cost of a delivery does not grow with the person's history. A failed
    // read throws (the call is retried), so a Task is never created without having been looked for.
    const existingLeads = [
      ...new Set([...tasks.values()].filter((task) => task.mayExist).map((task) => task.whoId)),
    ];
    if (existingLeads.length > 0) {
      const found = await beforeTasks(this.api.tasksOfLeads(org, existingLeads, signal));
      for (const [leadId, task] of tasks) {
        if (!task.mayExist) continue;
        const hasTask = found.some(
          (existing) =>
            existing.WhoId === task.whoId && carriesLeadMarker(existing.Description, { accountId, leadId }),
        );
        if (!hasTask) continue;
        for (const index of task.indexes) outcomes[index] = delivered(task.whoId);
        tasks.delete(leadId);
      }
    }
    if (tasks.size === 0) return outcomes;

    const toCreate = [...tasks.values()];
    const taskResults = await this.api
      .createTasks(
        org,
        toCreate.map((task) => task.fields),
        signal,
      )
      .catch((error: unknown) => Promise.reject(wasRefused(error) ? nothingWritten(error) : error));
    toCreate.forEach((task, position) => {
      const result = taskResults[position];
      if (!result?.success && task.fromCache) this.recent.delete(task.recentKey); // the Lead may be gone
      // Salesforce's error for this Task says it was not created; with no result, it may have been.
      const outcome = result?.success
        ? delivered(task.whoId)
        : failed(
            result ? nothingWritten(this.taskFailure(result, task.fromCache)) : classifyRecordFailure(result),
          );
      for (const index of task.indexes) outcomes[index] = outcome;
    });
    return outcomes;
  }

  /**
   * New inquiries only (the ledger knows none of them written, so no Task needs looking for): the Leads'
   * upsert and the Tasks on them in one Composite call of two collections instead of two calls. A Task
   * whose Lead failed is not created (nothing written), and neither are the others of the call (the Tasks
   * subrequest halts: nothing written, retried on their Leads, now among the recent Leads); one without an answer
   * may have been.
   */
  private async deliverInOneCall(
    org: SalesforceOrg,
    accountId: string,
    records: DeliveryRecord<SalesforceLeadRecord>[],
    {
      groups,
      recentKeys,
      known,
    }: { groups: KeyGroup[]; recentKeys: string[]; known: (string | undefined)[] },
    signal: AbortSignal,
  ): Promise<RecordOutcome[]> {
    const upserted = groups.flatMap((_, position) => (known[position] === undefined ? [position] : []));
    const tasks = new Map<string, { group: number; indexes: number[]; fields: SalesforceFields }>();
    groups.forEach((group, position) => {
      for (const index of group.indexes) {
        const record = records[index];
        const task = record?.record.task;
        if (!record || !task) continue;
        const pending = tasks.get(record.key);
        if (pending) pending.indexes.push(index);
        else tasks.set(record.key, { group: position, indexes: [index], fields: task });
      }
    });
    const toCreate = [...tasks.values()];
    const keyField = (records[0] as DeliveryRecord<SalesforceLeadRecord>).record.keyField;
    const answer = await this.api
      .upsertLeadsWithTasks(
        org,
        keyField,
        upserted.map((position) => (groups[position] as KeyGroup).fields),
        toCreate.map(({ group, fields }) => ({ lead: known[group] ?? upserted.indexOf(group), fields })),
        signal,
      )
      .catch((error: unknown) => Promise.reject(wasRefused(error) ? nothingWritten(error) : error));
    const leadOf = (position: number): SaveResult | undefined => {
      const cached = known[position];
      if (cached !== undefined) return { id: cached, success: true, created: false, errors: [] };
      return answer.leads[upserted.indexOf(position)];
    };

    const outcomes: RecordOutcome[] = [];
    groups.forEach((group, position) => {
      const lead = leadOf(position);
      const withTask = group.indexes.some((index) => records[index]?.record.task);
      if (withTask && known[position] === undefined && lead?.success && lead.id) {
        this.recent.set(recentKeys[position] as string, lead.id);
      }
      for (const index of group.indexes) {
        if (!lead?.success || !lead.id) outcomes[index] = failed(nothingWritten(classifyRecordFailure(lead)));
        else if (!records[index]?.record.task) outcomes[index] = delivered(lead.id);
      }
    });
    const taskOutcomes = await this.createHaltedTasks(
      org,
      toCreate.map(({ fields, group }) => ({ fields, lead: leadOf(group) })),
      answer.tasks,
      signal,
    );
    toCreate.forEach(({ group, indexes }, position) => {
      const lead = leadOf(group);
      if (!lead?.success || !lead.id) return; // failed with its Lead, above
      const taskOutcome = taskOutcomes[position];
      if (taskOutcome) {
        for (const index of indexes) outcomes[index] = taskOutcome;
        return;
      }
      const result = answer.tasks[position];
      const fromCache = known[group] !== undefined;
      if (!result?.success && fromCache) this.recent.delete(recentKeys[group] as string);
      const outcome = result?.success
        ? delivered(lead.id)
        : failed(
            result ? nothingWritten(this.taskFailure(result, fromCache)) : classifyRecordFailure(result),
          );
      for (const index of indexes) outcomes[index] = outcome;
    });
    return outcomes;
  }

  /**
   * A Lead of the Composite call failed, so Salesforce ran none of its Tasks (PROCESSING_HALTED): the Tasks
   * of the Leads that were saved are created at once, in one more call, rather than each lead retrying on
   * its own. Returns the outcome of each such Task, by position (undefined: not halted). A call refused
   * as a whole wrote nothing; one without an answer may have written, so its retry looks first.
   */
  private async createHaltedTasks(
    org: SalesforceOrg,
    tasks: { fields: SalesforceFields; lead: SaveResult | undefined }[],
    results: (SaveResult | undefined)[],
    signal: AbortSignal,
  ): Promise<(RecordOutcome | undefined)[]> {
    const halted = tasks.flatMap(({ fields, lead }, position) =>
      lead?.success && lead.id && wasHalted(results[position])
        ? [{ position, whoId: lead.id, fields: { ...fields, WhoId: lead.id } }]
        : [],
    );
    const outcomes: (RecordOutcome | undefined)[] = [];
    if (halted.length === 0) return outcomes;
    try {
      const created = await this.api.createTasks(
        org,
        halted.map((task) => task.fields),
        signal,
      );
      halted.forEach(({ position, whoId }, at) => {
        const result = created[at];
        outcomes[position] = result?.success
          ? delivered(whoId)
          : failed(result ? nothingWritten(classifyRecordFailure(result)) : classifyRecordFailure(result));
      });
    } catch (error) {
      const failure = this.classify(error);
      const outcome = failed(wasRefused(error) ? nothingWritten(failure) : failure);
      for (const { position } of halted) outcomes[position] = outcome;
    }
    return outcomes;
  }

  /** A Task refused on a Lead this call took from the recent Leads may be the Lead's fault (deleted since): upsert it again. */
  private taskFailure(result: SaveResult, fromCache: boolean): ConnectorError {
    const failure = classifyRecordFailure(result);
    return fromCache && failure.kind === 'rejected'
      ? new ConnectorError('transient', `${failure.message} (on a Lead upserted earlier: upserting it again)`)
      : failure;
  }

  classify(error: unknown): ConnectorError {
    return classifySalesforceFailure(error);
  }

  credentialOf(accountId: string): Credential {
    return salesforceCredentialOf(this.accounts.of(accountId));
  }
}

const wasHalted = (result: SaveResult | undefined) =>
  result?.success === false && result.errors.some((error) => error.statusCode === 'PROCESSING_HALTED');

/**
 * Whether the call can go as one Composite call: every inquiry with a Task is new (the ledger vouches that
 * nothing of it was written, so no Task is looked for), at least one Lead is upserted (else the Tasks alone
 * are one call anyway), and its Leads and Tasks each fit in one collection (a Lead and a Task per record at
 * most).
 */
function fitsOneCall(
  records: DeliveryRecord<SalesforceLeadRecord>[],
  groups: KeyGroup[],
  known: (string | undefined)[],
): boolean {
  const withTask = records.filter((record) => record.record.task);
  if (withTask.length === 0 || withTask.some((record) => record.outcomeUnknown !== false)) return false;
  return groups.some((_, position) => known[position] === undefined) && records.length <= COLLECTION_LIMIT;
}

/**
 * One Lead per upsert key: Salesforce refuses a collection that names a key twice (DUPLICATE_VALUE on
 * each), so the inquiries of one person (or a lead delivered twice) are merged, the latest one winning.
 */
function groupByKey(records: DeliveryRecord<SalesforceLeadRecord>[]): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  for (const { record, index } of oldestLeadFirst(records)) {
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
