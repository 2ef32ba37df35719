import { anEnrichedLead } from '@lead-delivery/testing';
import { ConnectorError, isNothingWritten, type DeliveryRecord } from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { DEFAULT_RATING, SalesforceAccounts, type SalesforceAccount } from './accounts/salesforce-accounts';
import type { SalesforceFields, SalesforceLeadRecord } from './lead/salesforce-lead.mapper';
import type { CompositeTask, SalesforceApi, SaveResult } from './salesforce-api/salesforce-api.client';
import { SalesforceApiError, SalesforceNetworkError } from './salesforce-api/salesforce-api.error';
import type { LeadTask } from './salesforce-api/task-query';
import type { SalesforceOrg } from './salesforce-api/salesforce-sessions';
import { SalesforceConnector } from './salesforce.connector';

const CREDENTIALS = {
  flow: 'client_credentials',
  loginUrl: 'https://acme.my.salesforce.com',
  clientId: 'c',
  clientSecret: 's',
} as const;

/** Records the calls and answers like the org would: one Lead per key, its Tasks, errors on demand. */
class RecordingApi implements SalesforceApi {
  readonly upserts: { keyField: string; leads: SalesforceFields[] }[] = [];
  readonly tasks: SalesforceFields[][] = [];
  readonly queries: string[][] = [];
  readonly composites: { leads: SalesforceFields[]; tasks: CompositeTask[] }[] = [];
  readonly refusedKeys = new Set<string>();
  refusedTasks = 0;
  /** Thrown by the next Tasks call after the org created them: the answer is lost. */
  loseTasksAnswer: Error | undefined;
  failQuery: Error | undefined;
  readonly stored: LeadTask[] = [];
  private readonly ids = new Map<string, string>();

  async upsertLeads(_org: SalesforceOrg, keyField: string, leads: SalesforceFields[]): Promise<SaveResult[]> {
    this.upserts.push({ keyField, leads });
    return this.saveLeads(keyField, leads);
  }

  async createTasks(_org: SalesforceOrg, tasks: SalesforceFields[]): Promise<SaveResult[]> {
    this.tasks.push(tasks);
    const results = this.saveTasks(tasks);
    const lost = this.loseTasksAnswer;
    this.loseTasksAnswer = undefined;
    if (lost) throw lost;
    return results;
  }

  /** Like the sandbox: a Task whose Lead failed halts the Tasks subrequest, and no Task is created. */
  async upsertLeadsWithTasks(
    _org: SalesforceOrg,
    keyField: string,
    leads: SalesforceFields[],
    tasks: CompositeTask[],
  ): Promise<{ leads: SaveResult[]; tasks: SaveResult[] }> {
    this.composites.push({ leads, tasks });
    const saved = this.saveLeads(keyField, leads);
    const whoIds = tasks.map(({ lead }) => (typeof lead === 'number' ? saved[lead]?.id : lead));
    if (!whoIds.every((whoId): whoId is string => whoId !== undefined)) {
      const halted: SaveResult = {
        success: false,
        errors: [{ statusCode: 'PROCESSING_HALTED', message: 'Invalid reference specified.' }],
      };
      return { leads: saved, tasks: tasks.map(() => halted) };
    }
    const created = this.saveTasks(tasks.map(({ fields }, index) => ({ ...fields, WhoId: whoIds[index] })));
    return { leads: saved, tasks: created };
  }

  private saveLeads(keyField: string, leads: SalesforceFields[]): SaveResult[] {
    return leads.map((lead) => {
      const key = String(lead[keyField]);
      if (this.refusedKeys.has(key)) {
        return {
          success: false,
          errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'No tests', fields: [] }],
        };
      }
      const created = !this.ids.has(key);
      if (created) this.ids.set(key, `00Q00000000000${this.ids.size}`);
      return { id: this.ids.get(key), success: true, created, errors: [] };
    });
  }

  private saveTasks(tasks: SalesforceFields[]): SaveResult[] {
    return tasks.map((task, index): SaveResult => {
      if (index < this.refusedTasks) {
        return {
          success: false,
          errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }],
        };
      }
      const Id = `00T0000000000${this.stored.length}`;
      this.stored.push({ Id, WhoId: String(task['WhoId']), Description: String(task['Description']) });
      return { id: Id, success: true, errors: [] };
    });
  }

  async tasksOfLeads(_org: SalesforceOrg, leadIds: string[]): Promise<LeadTask[]> {
    this.queries.push(leadIds);
    if (this.failQuery) throw this.failQuery;
    return this.stored.filter((task) => leadIds.includes(task.WhoId ?? ''));
  }
}

function connectorFor(overrides: Partial<SalesforceAccount> = {}) {
  const api = new RecordingApi();
  const defaults = {
    credentials: CREDENTIALS,
    sharedOrg: true,
    recordMode: 'per-lead' as const,
    fields: {},
    rating: DEFAULT_RATING,
    ...overrides,
  };
  const connector = new SalesforceConnector(new SalesforceAccounts(defaults, new Map()), api, {
    leadId: 'Realtor_Lead_Id__c',
    personKey: 'Realtor_Person_Key__c',
  });
  const batch = (...events: LeadEnrichedV1[]) => ({
    accountId: 'acct-1',
    records: events.map((event): DeliveryRecord<SalesforceLeadRecord> => ({
      key: event.lead.lead_id,
      record: connector.map(event),
      event,
      attempt: 1,
    })),
  });
  return {
    api,
    connector,
    batch,
    context: {
      signal: new AbortController().signal,
      budget: { acquire: async () => undefined, report: () => undefined },
    },
  };
}

describe('SalesforceConnector.deliver', () => {
  it('upserts one Lead per lead and answers one outcome per record, in order', async () => {
    const { api, connector, batch, context } = connectorFor();
    const [first, second] = [anEnrichedLead('acct-1'), anEnrichedLead('acct-1')];
    api.refusedKeys.add(`acct-1:${second.lead.lead_id}`);

    const outcomes = await connector.deliver(batch(first, second), context);

    expect(api.upserts).toHaveLength(1);
    expect(api.upserts[0]?.keyField).toBe('Realtor_Lead_Id__c');
    expect(api.tasks).toHaveLength(0);
    expect(outcomes[0]).toEqual({ ok: true, crmRecordId: '00Q000000000000' });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { kind: 'rejected', message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: No tests' },
    });
  });

  it('sends a lead that appears twice in one call once (Salesforce refuses a key named twice)', async () => {
    const { api, connector, batch, context } = connectorFor();
    const lead = anEnrichedLead('acct-1');
    const outcomes = await connector.deliver(batch(lead, lead), context);
    expect(api.upserts[0]?.leads).toHaveLength(1);
    expect(outcomes).toEqual([
      { ok: true, crmRecordId: '00Q000000000000' },
      { ok: true, crmRecordId: '00Q000000000000' },
    ]);
  });

  it('per person: one Lead for the inquiries of one person (the latest wins), one Task per inquiry', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const email = 'repeat.buyer@example.com';
    const later = anEnrichedLead('acct-1', { email, tier: 'hot', timestamp: '2026-03-02T10:00:00.000Z' });
    const earlier = anEnrichedLead('acct-1', { email, tier: 'cold', timestamp: '2026-03-01T10:00:00.000Z' });
    const other = anEnrichedLead('acct-1');

    const outcomes = await connector.deliver(batch(later, earlier, other), context);

    const [upsert] = api.upserts;
    expect(upsert?.keyField).toBe('Realtor_Person_Key__c');
    expect(upsert?.leads.map((lead) => [lead['Realtor_Person_Key__c'], lead['Rating']])).toEqual([
      [`acct-1:${email}`, 'Hot'],
      [`acct-1:${other.enrichment.person_key}`, 'Hot'],
    ]);
    expect(api.tasks[0]?.map((task) => [task['WhoId'], String(task['Description']).split('\n')[0]])).toEqual([
      ['00Q000000000000', `Realtor.com inquiry ${earlier.lead.lead_id} (${earlier.lead.timestamp})`],
      ['00Q000000000000', `Realtor.com inquiry ${later.lead.lead_id} (${later.lead.timestamp})`],
      ['00Q000000000001', `Realtor.com inquiry ${other.lead.lead_id} (${other.lead.timestamp})`],
    ]);
    expect(outcomes).toEqual([
      { ok: true, crmRecordId: '00Q000000000000' },
      { ok: true, crmRecordId: '00Q000000000000' },
      { ok: true, crmRecordId: '00Q000000000001' },
    ]);
  });

  it('per person: a Task Salesforce could not create leaves its lead to be retried', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    api.refusedTasks = 1;
    const outcomes = await connector.deliver(
      batch(anEnrichedLead('acct-1'), anEnrichedLead('acct-1')),
      context,
    );
    expect(outcomes[0]).toMatchObject({ ok: false, error: { kind: 'transient' } });
    expect(outcomes[1]).toMatchObject({ ok: true });
  });

  it('per person: the same lead again (redelivered) finds its Task on the Lead and creates none', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const lead = anEnrichedLead('acct-1');
    await connector.deliver(batch(lead), context);
    expect(api.queries).toHaveLength(0); // a Lead just created has no Tasks

    const outcomes = await connector.deliver(batch(lead, lead), context);
    expect(api.queries).toEqual([['00Q000000000000']]);
    expect(api.tasks).toHaveLength(1);
    expect(api.stored).toHaveLength(1);
    expect(outcomes).toEqual([
      { ok: true, crmRecordId: '00Q000000000000' },
      { ok: true, crmRecordId: '00Q000000000000' },
    ]);
  });

  it('per person: after a Tasks call whose answer was lost, the retry finds the Tasks and creates only the missing', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const email = 'repeat.buyer@example.com';
    const [first, second] = [anEnrichedLead('acct-1', { email }), anEnrichedLead('acct-1', { email })];
    api.refusedTasks = 1;
    api.loseTasksAnswer = new SalesforceNetworkError('timeout', 'no answer within 30000 ms');
    await expect(connector.deliver(batch(first, second), context)).rejects.toThrow('no answer');
    expect(api.stored).toHaveLength(1);
    api.refusedTasks = 0;

    const outcomes = await connector.deliver(batch(first, second), context);
    expect(api.queries).toEqual([['00Q000000000000']]);
    expect(api.tasks[1]).toHaveLength(1);
    expect(api.stored.map((task) => task.Description?.split('\n').at(-1)).sort()).toEqual(
      [first, second].map((event) => `Realtor.com lead id: ${event.lead.lead_id} (account acct-1)`).sort(),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  });

  it('per person: a failed query of Tasks fails the call (retried) and creates no Task', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const lead = anEnrichedLead('acct-1');
    await connector.deliver(batch(anEnrichedLead('acct-1', { email: lead.lead.contact.email })), context);
    api.failQuery = new SalesforceNetworkError('failed', 'socket hang up');
    await expect(connector.deliver(batch(lead), context)).rejects.toBe(api.failQuery);
    expect(api.tasks).toHaveLength(1);
  });

  it("per person: a known person's new inquiries get their Tasks without a query when the ledger knows them unwritten", async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const email = 'long.history@example.com';
    for (let inquiry = 0; inquiry < 5; inquiry += 1)
      await connector.deliver(batch(anEnrichedLead('acct-1', { email })), context);
    const calls = { upserts: api.upserts.length, tasks: api.tasks.length };

    const newInquiries = batch(anEnrichedLead('acct-1', { email }), anEnrichedLead('acct-1', { email }));
    const outcomes = await connector.deliver(
      {
        ...newInquiries,
        records: newInquiries.records.map((record) => ({ ...record, outcomeUnknown: false })),
      },
      context,
    );

    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect([api.upserts.length - calls.upserts, api.tasks.length - calls.tasks]).toEqual([0, 0]);
    expect(api.composites).toHaveLength(1); // the Lead's upsert and both Tasks in one call
    expect(api.stored).toHaveLength(7);
    // Without the ledger's word (the first five), every redelivery of a known Lead was looked up.
    expect(api.queries).toHaveLength(4);
  });

  it('per person: a backlog of new inquiries goes in one Composite call, each Task on its Lead', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const events = Array.from({ length: 150 }, (_, index) =>
      anEnrichedLead('acct-1', { email: `buyer/${index}@example.com` }),
    );
    const fresh = batch(...events);
    for (const record of fresh.records) record.outcomeUnknown = false;

    const outcomes = await connector.deliver(fresh, context);

    expect([api.composites.length, api.upserts.length, api.tasks.length, api.queries.length]).toEqual([
      1, 0, 0, 0,
    ]);
    const [call] = api.composites;
    expect([call?.leads.length, call?.tasks.length]).toEqual([150, 150]);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const leadOf = (event: LeadEnrichedV1) => `acct-1:${event.lead.contact.email}`;
    call?.tasks.forEach(({ lead, fields }) => {
      const event = events.find(({ lead: { lead_id } }) => String(fields['Description']).includes(lead_id));
      expect(call.leads[lead as number]?.['Realtor_Person_Key__c']).toBe(event && leadOf(event));
    });
    expect(api.stored).toHaveLength(150);
  });

  it("per person: a refused Lead in a Composite call fails its own lead; the others' halted Tasks are created at once, in one more call", async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const [refusedLead, first, second] = [
      anEnrichedLead('acct-1'),
      anEnrichedLead('acct-1'),
      anEnrichedLead('acct-1'),
    ];
    api.refusedKeys.add(String(connector.map(refusedLead).lead['Realtor_Person_Key__c']));
    const fresh = batch(refusedLead, first, second);
    for (const record of fresh.records) record.outcomeUnknown = false;

    const outcomes = await connector.deliver(fresh, context);

    expect([api.composites.length, api.upserts.length, api.tasks.length, api.queries.length]).toEqual([
      1, 0, 1, 0,
    ]);
    expect(api.composites[0]?.tasks.map((task) => task.lead)).toEqual([0, 1, 2]);
    const [refused, ...others] = outcomes;
    expect(refused?.ok === false && 'error' in refused && refused.error.kind).toBe('rejected');
    expect(refused?.ok === false && 'error' in refused && isNothingWritten(refused.error)).toBe(true);
    expect(others).toEqual([
      { ok: true, crmRecordId: '00Q000000000000' },
      { ok: true, crmRecordId: '00Q000000000001' },
    ]);
    expect(api.stored.map((task) => task.WhoId)).toEqual(['00Q000000000000', '00Q000000000001']);
  });

  it.each([
    [
      'refused (429): nothing written',
      new SalesforceApiError(429, 'REQUEST_LIMIT_EXCEEDED', 'slow down', 'data', null, false),
      true,
    ],
    [
      'lost (timeout): may have been written',
      new SalesforceNetworkError('timeout', 'no answer within 30000 ms'),
      false,
    ],
  ])('per person: halted Tasks whose second call was %s', async (_, error, nothingWasWritten) => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const [refusedLead, other] = [anEnrichedLead('acct-1'), anEnrichedLead('acct-1')];
    api.refusedKeys.add(String(connector.map(refusedLead).lead['Realtor_Person_Key__c']));
    const fresh = batch(refusedLead, other);
    for (const record of fresh.records) record.outcomeUnknown = false;
    jest.spyOn(api, 'createTasks').mockRejectedValueOnce(error);

    const [, outcome] = await connector.deliver(fresh, context);

    expect(outcome?.ok).toBe(false);
    expect(outcome?.ok === false && 'error' in outcome && isNothingWritten(outcome.error)).toBe(
      nothingWasWritten,
    );
  });

  it('per person: a Composite call whose answer was lost leaves its leads unknown, and the retry finds their Tasks', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const lead = anEnrichedLead('acct-1');
    const lost = new SalesforceNetworkError('timeout', 'no answer within 30000 ms');
    const original = api.upsertLeadsWithTasks.bind(api);
    jest.spyOn(api, 'upsertLeadsWithTasks').mockImplementationOnce(async (...args) => {
      await original(...args);
      throw lost;
    });
    const fresh = batch(lead);
    for (const record of fresh.records) record.outcomeUnknown = false;
    await expect(connector.deliver(fresh, context)).rejects.toBe(lost);
    expect(isNothingWritten(lost)).toBe(false);

    const outcomes = await connector.deliver(batch(lead), context); // the ledger kept the intent: unknown

    expect(outcomes).toEqual([{ ok: true, crmRecordId: '00Q000000000000' }]);
    expect(api.queries).toEqual([['00Q000000000000']]);
    expect(api.stored).toHaveLength(1);
  });

  it('per person: tells the ledger what failed before any Task could be written, and only that', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const refusedLead = anEnrichedLead('acct-1');
    api.refusedKeys.add(String(connector.map(refusedLead).lead['Realtor_Person_Key__c']));
    const [refused] = await connector.deliver(batch(refusedLead), context);
    expect(refused?.ok === false && 'error' in refused && isNothingWritten(refused.error)).toBe(true);

    const known = anEnrichedLead('acct-1');
    await connector.deliver(batch(known), context);
    api.failQuery = new SalesforceNetworkError('failed', 'socket hang up');
    const queryFailure = await connector.deliver(batch(known), context).catch((error: unknown) => error);
    expect(isNothingWritten(queryFailure)).toBe(true);
    api.failQuery = undefined;

    api.refusedTasks = 1;
    const [taskRefused] = await connector.deliver(batch(anEnrichedLead('acct-1')), context);
    expect(taskRefused?.ok === false && 'error' in taskRefused && isNothingWritten(taskRefused.error)).toBe(
      true,
    );
    api.refusedTasks = 0;

    const lost = new SalesforceNetworkError('timeout', 'no answer within 30000 ms');
    api.loseTasksAnswer = lost;
    await expect(connector.deliver(batch(anEnrichedLead('acct-1')), context)).rejects.toBe(lost);
    expect(isNothingWritten(lost)).toBe(false);
    const limited = new SalesforceApiError(503, 'SERVER_UNAVAILABLE', 'busy', 'data', null, true);
    api.loseTasksAnswer = undefined;
    jest.spyOn(api, 'createTasks').mockRejectedValueOnce(limited);
    await expect(connector.deliver(batch(anEnrichedLead('acct-1')), context)).rejects.toBe(limited);
    expect(isNothingWritten(limited)).toBe(true);
  });

  it('per person: a retry after a refused Tasks call resumes at the Task, without upserting the Lead again', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const lead = anEnrichedLead('acct-1');
    jest
      .spyOn(api, 'createTasks')
      .mockRejectedValueOnce(new SalesforceApiError(503, 'SERVER_UNAVAILABLE', 'busy', 'data', null, true));
    await expect(connector.deliver(batch(lead), context)).rejects.toThrow('busy');

    const retry = batch(lead);
    for (const record of retry.records) record.outcomeUnknown = false; // the ledger cleared the intent
    const outcomes = await connector.deliver(retry, context);

    expect(outcomes).toEqual([{ ok: true, crmRecordId: '00Q000000000000' }]);
    expect(api.upserts).toHaveLength(1);
    expect(api.queries).toEqual([]);
    expect(api.stored).toHaveLength(1);
    // Another inquiry of the same person writes other fields: its Lead is upserted as usual.
    await connector.deliver(batch(anEnrichedLead('acct-1', { email: lead.lead.contact.email })), context);
    expect(api.upserts).toHaveLength(2);
  });

  it('per person: a Task refused on a Lead known from an earlier call is retried with a fresh upsert', async () => {
    const { api, connector, batch, context } = connectorFor({ recordMode: 'per-person' });
    const lead = anEnrichedLead('acct-1');
    api.refusedTasks = 1; // UNABLE_TO_LOCK_ROW: transient, the Lead stays known
    await connector.deliver(batch(lead), context);
    jest
      .spyOn(api, 'createTasks')
      .mockResolvedValueOnce([
        { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' }] },
      ]);

    const [deleted] = await connector.deliver(batch(lead), context);

    expect(api.upserts).toHaveLength(1); // the Lead came from the earlier call
    expect(deleted).toMatchObject({ ok: false, error: { kind: 'transient' } });
    api.refusedTasks = 0;
    await connector.deliver(batch(lead), context);
    expect(api.upserts).toHaveLength(2); // forgotten: upserted again
  });

  it('per lead: looks nothing up (the Lead is the whole record)', async () => {
    const { api, connector, batch, context } = connectorFor();
    const lead = anEnrichedLead('acct-1');
    await connector.deliver(batch(lead), context);
    await connector.deliver(batch(lead), context);
    expect(api.queries).toHaveLength(0);
    expect(api.tasks).toHaveLength(0);
  });

  it('holds the leads of an account without credentials (auth) instead of calling anyone', async () => {
    const { api, connector, batch, context } = connectorFor({ credentials: undefined });
    await expect(connector.deliver(batch(anEnrichedLead('acct-1')), context)).rejects.toEqual(
      new ConnectorError('auth', 'no Salesforce credentials are configured for account acct-1'),
    );
    expect(api.upserts).toHaveLength(0);
  });
});
