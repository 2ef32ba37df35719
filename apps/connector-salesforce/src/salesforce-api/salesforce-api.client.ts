import { parseJsonOrUndefined, type ConnectorLogger } from '@lead-delivery/connector-kit';
import type { SalesforceFields } from '../lead/salesforce-lead.mapper';
import { SalesforceApiError, salesforceErrorOf } from './salesforce-api.error';
import { exchange, type HttpAnswer } from './salesforce-http';
import { salesforceLimitReport } from './salesforce-limit-info';
import { SalesforceSessions, type SalesforceOrg, type SalesforceSession } from './salesforce-sessions';
import { readCompositeCollections } from './composite-results';
import { leadTasksQuery, readQueryPage, type LeadTask } from './task-query';

/** One record's result in an sObject Collections answer (errors carry `statusCode`, not `errorCode`). */
export interface SaveResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string; fields?: string[] }[];
}

/** The calls the connector makes; the integration tests run them against apps/crm-sandbox. */
export interface SalesforceApi {
  /** sObject Collections upsert by an External ID field, `allOrNone: false`: one result per record, in order. */
  upsertLeads(
    org: SalesforceOrg,
    keyField: string,
    leads: SalesforceFields[],
    signal: AbortSignal,
  ): Promise<SaveResult[]>;
  /** sObject Collections create of Tasks, `allOrNone: false`: one result per record, in order. */
  createTasks(org: SalesforceOrg, tasks: SalesforceFields[], signal: AbortSignal): Promise<SaveResult[]>;
  /** The Tasks of these Leads (at most 200), every page of the SOQL query. Reads only. */
  tasksOfLeads(org: SalesforceOrg, leadIds: string[], signal: AbortSignal): Promise<LeadTask[]>;
  /**
   * One Composite call of two sObject Collections (at most COLLECTION_LIMIT Leads and as many Tasks): the
   * Leads upserted by their External ID, then the Tasks, each on a Lead of this call (its position, a
   * `@{leads[i].id}` reference) or a Lead id known before. A result per Lead and per Task, in order,
   * undefined where the answer has none. A Task whose Lead failed fails the Tasks subrequest as a whole
   * (assumed, as the sandbox does; see the README): each Task's result is then that error.
   */
  upsertLeadsWithTasks(
    org: SalesforceOrg,
    keyField: string,
    leads: SalesforceFields[],
    tasks: CompositeTask[],
    signal: AbortSignal,
  ): Promise<{ leads: (SaveResult | undefined)[]; tasks: (SaveResult | undefined)[] }>;
}

/** A Task of a Composite call, on the Lead at position `lead` of the call's Leads or on a Lead id known before. */
export interface CompositeTask {
  lead: number | string;
  fields: SalesforceFields;
}

export interface SalesforceClientOptions {
  apiVersion: string;
  timeoutMs: number;
  logger: ConnectorLogger;
}

/** Most records one sObject Collections call (or subrequest of a Composite call) may carry. */
export const COLLECTION_LIMIT = 200;

/**
 * A thin typed client of the Salesforce REST API over node:http (the kit's `crmHttpExchange`): the two
 * collection calls and the query of Tasks, with the session of each org cached and renewed once when
 * Salesforce answers 401 (INVALID_SESSION_ID).
 */
export class SalesforceClient implements SalesforceApi {
  private readonly sessions: SalesforceSessions;

  constructor(private readonly options: SalesforceClientOptions) {
    this.sessions = new SalesforceSessions({ timeoutMs: options.timeoutMs, logger: options.logger });
  }

  upsertLeads(
    org: SalesforceOrg,
    keyField: string,
    leads: SalesforceFields[],
    signal: AbortSignal,
  ): Promise<SaveResult[]> {
    return this.collection(
      org,
      'PATCH',
      `composite/sobjects/Lead/${encodeURIComponent(keyField)}`,
      leads.map((fields) => ({ attributes: { type: 'Lead' }, ...fields })),
      signal,
    );
  }

  createTasks(org: SalesforceOrg, tasks: SalesforceFields[], signal: AbortSignal): Promise<SaveResult[]> {
    return this.collection(
      org,
      'POST',
      'composite/sobjects',
      tasks.map((fields) => ({ attributes: { type: 'Task' }, ...fields })),
      signal,
    );
  }

  async tasksOfLeads(org: SalesforceOrg, leadIds: string[], signal: AbortSignal): Promise<LeadTask[]> {
    if (leadIds.length > COLLECTION_LIMIT) {
      // Keeps the query's URL far below the REST API's length limit (about 21 characters an id).
      throw new RangeError(`${leadIds.length} Leads in one query; at most ${COLLECTION_LIMIT}`);
    }
    const tasks: LeadTask[] = [];
    let path: string | undefined =
      `/services/data/v${this.options.apiVersion}/query?q=${encodeURIComponent(leadTasksQuery(leadIds))}`;
    while (path !== undefined) {
      const pagePath: string = path;
      const answer = await this.withSession(org, signal, (session) =>
        exchange(
          `${session.instanceUrl}${pagePath}`,
          {
            method: 'GET',
            headers: { Authorization: `Bearer ${session.accessToken}`, Accept: 'application/json' },
          },
          { timeoutMs: this.options.timeoutMs, signal },
        ),
      );
      if (answer.status !== 200)
        throw salesforceErrorOf(answer.status, answer.headers, answer.body, 'data', org.sharedOrg);
      const page = readQueryPage(answer.body, org.sharedOrg);
      tasks.push(...page.records);
      path = page.nextRecordsUrl;
    }
    return tasks;
  }

  async upsertLeadsWithTasks(
    org: SalesforceOrg,
    keyField: string,
    leads: SalesforceFields[],
    tasks: CompositeTask[],
    signal: AbortSignal,
  ): Promise<{ leads: (SaveResult | undefined)[]; tasks: (SaveResult | undefined)[] }> {
    if (leads.length > COLLECTION_LIMIT || tasks.length > COLLECTION_LIMIT) {
      throw new RangeError(
        `${leads.length} Leads and ${tasks.length} Tasks; a collection takes at most ${COLLECTION_LIMIT}`,
      );
    }
    const base = `/services/data/v${this.options.apiVersion}`;
    const collection = (referenceId: string, method: string, path: string, records: object[]) =>
      records.length === 0
        ? []
        : [{ method, url: `${base}/${path}`, referenceId, body: { allOrNone: false, records } }];
    const compositeRequest = [
      ...collection(
        'leads',
        'PATCH',
        `composite/sobjects/Lead/${encodeURIComponent(keyField)}`,
        leads.map((fields) => ({ attributes: { type: 'Lead' }, ...fields })),
      ),
      ...collection(
        'tasks',
        'POST',
        'composite/sobjects',
        tasks.map(({ lead, fields }) => ({
          attributes: { type: 'Task' },
          ...fields,
          WhoId: typeof lead === 'number' ? `@{leads[${lead}].id}` : lead,
        })),
      ),
    ];
    const answer = await this.write(org, 'POST', 'composite', { allOrNone: false, compositeRequest }, signal);
    return readCompositeCollections(answer.body, { leads: leads.length, tasks: tasks.length }, org.sharedOrg);
  }

  private async collection(
    org: SalesforceOrg,
    method: 'PATCH' | 'POST',
    path: string,
    records: Record<string, unknown>[],
    signal: AbortSignal,
  ): Promise<SaveResult[]> {
    if (records.length > COLLECTION_LIMIT) {
      throw new RangeError(
        `${records.length} records in one collection call; Salesforce takes at most ${COLLECTION_LIMIT}`,
      );
    }
    const answer = await this.write(org, method, path, { allOrNone: false, records }, signal);
    const results = parseJsonOrUndefined(answer.body);
    if (!Array.isArray(results) || results.length !== records.length) {
      throw new SalesforceApiError(
        502,
        'UNEXPECTED_RESPONSE',
        `expected ${records.length} results, got ${Array.isArray(results) ? results.length : 'no list'}`,
        'data',
        null,
        org.sharedOrg,
      );
    }
    return results as SaveResult[];
  }

  /** A JSON write to the data API; anything but 200 OK throws the Salesforce error it carries. */
  private async write(
    org: SalesforceOrg,
    method: 'PATCH' | 'POST',
    path: string,
    body: object,
    signal: AbortSignal,
  ): Promise<HttpAnswer> {
    const json = JSON.stringify(body);
    const answer = await this.withSession(org, signal, (session) =>
      exchange(
        `${session.instanceUrl}/services/data/v${this.options.apiVersion}/${path}`,
        {
          method,
          headers: {
            Authorization: `Bearer ${session.accessToken}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: json,
        },
        { timeoutMs: this.options.timeoutMs, signal },
      ),
    );
    if (answer.status !== 200)
      throw salesforceErrorOf(answer.status, answer.headers, answer.body, 'data', org.sharedOrg);
    return answer;
  }

  /**
   * Runs `call` with the org's session; on 401 renews the session once and runs it again. Each request
   * takes a unit of the org's call budget first and reports its Sforce-Limit-Info.
   */
  private async withSession(
    org: SalesforceOrg,
    signal: AbortSignal,
    call: (session: SalesforceSession) => Promise<HttpAnswer>,
  ): Promise<HttpAnswer> {
    const metered = async (session: SalesforceSession) => {
      await org.budget?.acquire();
      const answer = await call(session);
      org.budget?.report(salesforceLimitReport(answer.headers.get('sforce-limit-info')));
      return answer;
    };
    const session = this.sessions.get(org, signal);
    const answer = await metered(await session);
    if (answer.status !== 401) return answer;
    this.sessions.expire(org, session);
    return metered(await this.sessions.get(org, signal));
  }

  /** sObject Collections delete (`allOrNone=false`, ≤ 200 ids): one DeleteResult per id, in order. */
  async deleteRecords(org: SalesforceOrg, ids: string[], signal: AbortSignal): Promise<SaveResult[]> {
    if (ids.length > COLLECTION_LIMIT) {
      throw new RangeError(`${ids.length} ids in one delete; Salesforce takes at most ${COLLECTION_LIMIT}`);
    }
    const query = `ids=${ids.map(encodeURIComponent).join(',')}&allOrNone=false`;
    const answer = await this.withSession(org, signal, (session) =>
      exchange(
        `${session.instanceUrl}/services/data/v${this.options.apiVersion}/composite/sobjects?${query}`,
        {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${session.accessToken}`, Accept: 'application/json' },
        },
        { timeoutMs: this.options.timeoutMs, signal },
      ),
    );
    if (answer.status !== 200)
      throw salesforceErrorOf(answer.status, answer.headers, answer.body, 'data', org.sharedOrg);
    const results = parseJsonOrUndefined(answer.body);
    if (!Array.isArray(results) || results.length !== ids.length) {
      throw new SalesforceApiError(
        502,
        'UNEXPECTED_RESPONSE',
        'delete results do not match the ids',
        'data',
        null,
        org.sharedOrg,
      );
    }
    return results as SaveResult[];
  }

  /** sObject Collections update by id (`allOrNone: false`): one result per record, in order. */
  updateRecords(
    org: SalesforceOrg,
    type: string,
    records: Array<{ id: string; fields: Record<string, SalesforceFields[string] | null> }>,
    signal: AbortSignal,
  ): Promise<SaveResult[]> {
    return this.collection(
      org,
      'PATCH',
      'composite/sobjects',
      records.map(({ id, fields }) => ({ attributes: { type }, id, ...fields })),
      signal,
    );
  }
}
