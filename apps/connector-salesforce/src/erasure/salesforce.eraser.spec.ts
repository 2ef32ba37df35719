import { ConnectorError, leadMarker } from '@lead-delivery/connector-kit';
import {
  DEFAULT_RATING,
  SalesforceAccounts,
  salesforceCredentialOf,
  type SalesforceAccount,
} from '../accounts/salesforce-accounts';
import type { SaveResult } from '../salesforce-api/salesforce-api.client';
import type { SalesforceOrg } from '../salesforce-api/salesforce-sessions';
import type { LeadTask } from '../salesforce-api/task-query';
import { SalesforceEraser, type SalesforceErasureApi } from './salesforce.eraser';

const ok = (id: string): SaveResult => ({ id, success: true, errors: [] });
const failure = (statusCode: string): SaveResult => ({
  success: false,
  errors: [{ statusCode, message: statusCode.toLowerCase() }],
});

class RecordingApi implements SalesforceErasureApi {
  tasks: LeadTask[] = [];
  readonly deletes: string[][] = [];
  readonly updates: Array<{ type: string; records: Array<{ id: string; fields: object }> }> = [];
  deleteAnswer: (id: string) => SaveResult = ok;
  /** The org of every call, in order. */
  readonly orgs: SalesforceOrg[] = [];

  async tasksOfLeads(org: SalesforceOrg, leadIds: string[]) {
    this.orgs.push(org);
    return this.tasks.filter((task) => leadIds.includes(task.WhoId ?? ''));
  }
  async deleteRecords(org: SalesforceOrg, ids: string[]) {
    this.orgs.push(org);
    this.deletes.push(ids);
    return ids.map((id) => this.deleteAnswer(id));
  }
  async updateRecords(org: SalesforceOrg, type: string, records: Array<{ id: string; fields: object }>) {
    this.orgs.push(org);
    this.updates.push({ type, records });
    return records.map(({ id }) => ok(id));
  }
}

const CREDENTIALS = {
  flow: 'client_credentials' as const,
  loginUrl: 'http://127.0.0.1:4010',
  clientId: 'id',
  clientSecret: 'secret',
};
const signal = new AbortController().signal;
const budget = { acquire: jest.fn(async () => undefined), report: jest.fn() };
const context = { signal, budget };

function eraserFor(overrides: Partial<SalesforceAccount> = {}) {
  const api = new RecordingApi();
  const defaults = {
    credentials: CREDENTIALS,
    sharedOrg: true,
    recordMode: 'per-person' as const,
    fields: {},
    rating: DEFAULT_RATING,
    ...overrides,
  };
  const eraser = new SalesforceEraser(new SalesforceAccounts(defaults, new Map()), api, {
    leadId: 'Realtor_Lead_Id__c',
    personKey: 'Realtor_Person_Key__c',
  });
  api.tasks = [
    {
      Id: 'T1',
      WhoId: 'L1',
      Description: `Inquiry\n${leadMarker({ accountId: 'acct-1', leadId: 'lead-1' })}`,
    },
    { Id: 'T2', WhoId: 'L1', Description: `${leadMarker({ accountId: 'acct-1', leadId: 'lead-2' })}` },
    { Id: 'T3', WhoId: 'L1', Description: 'Call back on Monday (an agent wrote this Task)' },
  ];
  return { api, eraser };
}

// Per person: both inquiries were delivered to the person's one Lead.
const command = {
  erasureId: 'e-1',
  accountId: 'acct-1',
  records: [
    { leadId: 'lead-1', crmRecordId: 'L1' },
    { leadId: 'lead-2', crmRecordId: 'L1' },
  ],
};

describe('SalesforceEraser', () => {
  it('deletes the Tasks of the erased leads, then the Lead, by default', async () => {
    const { api, eraser } = eraserFor();
    const report = await eraser.erase(command, context);
    expect(api.deletes).toEqual([['T1', 'T2'], ['L1']]);
    expect(api.updates).toEqual([]);
    expect(report).toEqual({
      method: 'deleted',
      counts: { leads: 1, leads_without_record: 0, tasks_deleted: 2, leads_deleted: 1 },
    });
  });

  it('counts records another erasure already deleted as erased (a redelivered request)', async () => {
    const { api, eraser } = eraserFor({ recordMode: 'per-lead' });
    api.tasks = [];
    api.deleteAnswer = () => failure('ENTITY_IS_DELETED');
    await expect(eraser.erase(command, context)).resolves.toMatchObject({
      counts: { leads_deleted: 0 },
    });
  });

  it('fails with the classified error when Salesforce refuses a delete for another reason', async () => {
    const { api, eraser } = eraserFor();
    api.deleteAnswer = (id) => (id === 'L1' ? failure('INSUFFICIENT_ACCESS_OR_READONLY') : ok(id));
    const error = await eraser.erase(command, context).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).message).toContain('INSUFFICIENT_ACCESS_OR_READONLY');
  });

  it('in anonymise mode deletes the Tasks and blanks the Lead, its person key and overridden fields', async () => {
    const { api, eraser } = eraserFor({
      erasure: 'anonymise',
      fields: { Budget__c: { from: 'lead.finance_info.budget_max' } },
    });
    const report = await eraser.erase(command, context);
    expect(api.deletes).toEqual([['T1', 'T2']]);
    expect(api.updates).toEqual([
      {
        type: 'Lead',
        records: [
          {
            id: 'L1',
            fields: {
              FirstName: null,
              LastName: 'Erased',
              Company: 'Erased',
              Email: null,
              Phone: null,
              Street: null,
              City: null,
              State: null,
              PostalCode: null,
              Description: null,
              Realtor_Person_Key__c: null,
              Budget__c: null,
            },
          },
        ],
      },
    ]);
    expect(report).toMatchObject({ method: 'anonymised', counts: { leads_anonymised: 1, tasks_deleted: 2 } });
  });

  it('refuses an account without credentials (auth: retried until configured)', async () => {
    const { eraser } = eraserFor({ credentials: undefined });
    await expect(eraser.erase(command, context)).rejects.toEqual(
      new ConnectorError('auth', 'no Salesforce credentials are configured for account acct-1'),
    );
  });

  it("makes every call under the org's call budget, the credential its deliveries use", async () => {
    const { api, eraser } = eraserFor({ erasure: 'anonymise' });

    await eraser.erase(command, context);

    expect(api.orgs.length).toBe(3); // Task query, Task delete, Lead update
    for (const org of api.orgs) expect(org.budget).toBe(budget);
    const account = new SalesforceAccounts(
      {
        credentials: CREDENTIALS,
        sharedOrg: true,
        recordMode: 'per-person',
        fields: {},
        rating: DEFAULT_RATING,
      },
      new Map(),
    ).of('acct-1');
    expect(eraser.credentialOf('acct-1')).toEqual(salesforceCredentialOf(account));
  });
});
