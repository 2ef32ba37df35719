import { parseJsonOrUndefined } from '@lead-delivery/connector-kit';
import { SalesforceApiError } from './salesforce-api.error';

/** A Task as the lookup of a Lead's Tasks reads it. */
export interface LeadTask {
  Id: string;
  WhoId: string | null;
  Description: string | null;
}

/**
 * SOQL for the Tasks of Leads. Description is a long text area, which SOQL cannot filter on, so the
 * Tasks of the Leads are read and the lead's marker is looked for here.
 */
export function leadTasksQuery(leadIds: string[]): string {
  const quoted = leadIds.map((id) => `'${id.replace(/[\\']/g, '\\$&')}'`);
  return `SELECT Id, WhoId, Description FROM Task WHERE WhoId IN (${quoted.join(', ')})`;
}

export interface QueryPage {
  records: LeadTask[];
  /** Set while `done` is false: the path of the next page (`/services/data/vXX.X/query/<locator>`). */
  nextRecordsUrl?: string;
}

/** One page of a query answer (`{totalSize, done, nextRecordsUrl?, records}`), checked. */
export function readQueryPage(body: string, sharedOrg: boolean): QueryPage {
  const unexpected = (problem: string) =>
    new SalesforceApiError(502, 'UNEXPECTED_RESPONSE', `query answer: ${problem}`, 'data', null, sharedOrg);
  const answer = parseJsonOrUndefined(body);
  if (answer === undefined) throw unexpected('not JSON');
  const { done, nextRecordsUrl, records } = (answer ?? {}) as {
    done?: unknown;
    nextRecordsUrl?: unknown;
    records?: unknown;
  };
  if (!Array.isArray(records) || typeof done !== 'boolean') throw unexpected('no records or done');
  const tasks = records.map((record: unknown, index): LeadTask => {
    const { Id, WhoId, Description } = (record ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    if (typeof Id !== 'string') throw unexpected(`records[${index}] has no Id`);
    return { Id, WhoId: text(WhoId), Description: text(Description) };
  });
  if (done) return { records: tasks };
  if (typeof nextRecordsUrl !== 'string' || !nextRecordsUrl.startsWith('/services/data/')) {
    throw unexpected('not done, but no nextRecordsUrl');
  }
  return { records: tasks, nextRecordsUrl };
}
