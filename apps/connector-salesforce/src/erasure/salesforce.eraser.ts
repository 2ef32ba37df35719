import {
  carriesLeadMarker,
  erasureTargetOf,
  type ConnectorError,
  type Credential,
  type CrmEraser,
  type ErasureCommand,
  type ErasureContext,
  type ErasureReport,
} from '@lead-delivery/connector-kit';
import { salesforceCredentialOf, type SalesforceAccounts } from '../accounts/salesforce-accounts';
import type { LeadKeyFields, SalesforceFields } from '../lead/salesforce-lead.mapper';
import type { SaveResult } from '../salesforce-api/salesforce-api.client';
import type { SalesforceOrg } from '../salesforce-api/salesforce-sessions';
import type { LeadTask } from '../salesforce-api/task-query';
import { classifyRecordFailure, classifySalesforceFailure } from '../salesforce-failure.classifier';

/** The calls of an erasure (SalesforceClient has them); the integration tests run them against apps/crm-sandbox. */
export interface SalesforceErasureApi {
  tasksOfLeads(org: SalesforceOrg, leadIds: string[], signal: AbortSignal): Promise<LeadTask[]>;
  deleteRecords(org: SalesforceOrg, ids: string[], signal: AbortSignal): Promise<SaveResult[]>;
  updateRecords(
    org: SalesforceOrg,
    type: string,
    records: Array<{ id: string; fields: NullableFields }>,
    signal: AbortSignal,
  ): Promise<SaveResult[]>;
}

/** Fields to write, null clearing one. */
type NullableFields = Record<string, SalesforceFields[string] | null>;

/** Most ids one sObject Collections call or one Task query takes. */
const CHUNK = 200;
const ERASED = 'Erased';

/**
 * A Lead's personal fields as the default mapping writes them, blanked; LastName and Company are required,
 * so they become `Erased`. Rating, LeadSource and the lead external id (`<account>:<lead_id>`) stay.
 */
const ANONYMOUS_LEAD: NullableFields = {
  FirstName: null,
  LastName: ERASED,
  Company: ERASED,
  Email: null,
  Phone: null,
  Street: null,
  City: null,
  State: null,
  PostalCode: null,
  Description: null,
};

/**
 * Erases a person from an account's org: the Tasks this platform wrote for the person's leads (found by
 * their lead marker), then the Leads the deliveries recorded, deleted (`delete`, the default) or with
 * their personal fields blanked and the person key removed (`anonymise`). Per lead, the Leads are the
 * person's leads' own; per person, the person's one Lead. A record already deleted counts as erased. Every
 * REST call draws on the org's call budget, the one its deliveries use.
 */
export class SalesforceEraser implements CrmEraser {
  readonly destination = 'salesforce';

  constructor(
    private readonly accounts: SalesforceAccounts,
    private readonly api: SalesforceErasureApi,
    private readonly keyFields: LeadKeyFields,
  ) {}

  async erase(command: ErasureCommand, { signal, budget }: ErasureContext): Promise<ErasureReport> {
    const target = erasureTargetOf(command, this.accounts, 'no Salesforce credentials are configured');
    const { account, recordIds: leadIds, leads } = target;
    const org: SalesforceOrg = { credentials: target.credentials, sharedOrg: account.sharedOrg, budget };

    const tasks: string[] = [];
    for (const ids of chunks(leadIds)) {
      const found = await this.api.tasksOfLeads(org, ids, signal);
      tasks.push(
        ...found
          .filter((task) => leads.some((lead) => carriesLeadMarker(task.Description, lead)))
          .map((task) => task.Id),
      );
    }
    const counts: Record<string, number> = {
      leads: leadIds.length,
      leads_without_record: target.withoutRecord,
      tasks_deleted: await this.delete(org, tasks, signal),
    };
    if ((account.erasure ?? 'delete') === 'delete') {
      counts['leads_deleted'] = await this.delete(org, leadIds, signal);
      return { method: 'deleted', counts };
    }
    const anonymous: NullableFields = { ...ANONYMOUS_LEAD, [this.keyFields.personKey]: null };
    for (const name of Object.keys(account.fields)) anonymous[name] ??= null;
    counts['leads_anonymised'] = 0;
    for (const ids of chunks(leadIds)) {
      const results = await this.api.updateRecords(
        org,
        'Lead',
        ids.map((id) => ({ id, fields: anonymous })),
        signal,
      );
      counts['leads_anonymised'] += this.settled(results);
    }
    return { method: 'anonymised', counts };
  }

  classify(error: unknown): ConnectorError {
    return classifySalesforceFailure(error);
  }

  credentialOf(accountId: string): Credential {
    return salesforceCredentialOf(this.accounts.of(accountId));
  }

  /** Deletes the records; resolves with how many were there to delete. */
  private async delete(org: SalesforceOrg, ids: string[], signal: AbortSignal): Promise<number> {
    let deleted = 0;
    for (const part of chunks(ids)) deleted += this.settled(await this.api.deleteRecords(org, part, signal));
    return deleted;
  }

  /** How many succeeded; a record already deleted is settled too, any other failure is thrown. */
  private settled(results: SaveResult[]): number {
    let succeeded = 0;
    for (const result of results) {
      if (result.success) succeeded += 1;
      else if (!result.errors.some((error) => error.statusCode === 'ENTITY_IS_DELETED')) {
        throw classifyRecordFailure(result);
      }
    }
    return succeeded;
  }
}

function chunks<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, index) =>
    items.slice(index * CHUNK, (index + 1) * CHUNK),
  );
}
