import { ConnectorError, type DeliveryRecord } from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { anEnrichedLead } from '../test/support/enriched-lead';
import { DEFAULT_RATING, SalesforceAccounts, type SalesforceAccount } from './accounts/salesforce-accounts';
import type { SalesforceFields, SalesforceLeadRecord } from './lead/salesforce-lead.mapper';
import type { SalesforceApi, SaveResult } from './salesforce-api/salesforce-api.client';
import type { SalesforceOrg } from './salesforce-api/salesforce-sessions';
import { SalesforceConnector } from './salesforce.connector';

const CREDENTIALS = {
  flow: 'client_credentials',
  loginUrl: 'https://acme.my.salesforce.com',
  clientId: 'c',
  clientSecret: 's',
} as const;

/** Records the calls and answers like the org would: one Lead per key, per-record errors on demand. */
class RecordingApi implements SalesforceApi {
  readonly upserts: { keyField: string; leads: SalesforceFields[] }[] = [];
  readonly tasks: SalesforceFields[][] = [];
  readonly refusedKeys = new Set<string>();
  refusedTasks = 0;

  async upsertLeads(_org: SalesforceOrg, keyField: string, leads: SalesforceFields[]): Promise<SaveResult[]> {
    this.upserts.push({ keyField, leads });
    return leads.map((lead, index) =>
      this.refusedKeys.has(String(lead[keyField]))
        ? {
            success: false,
            errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'No tests', fields: [] }],
          }
        : { id: `00Q00000000000${index}`, success: true, created: true, errors: [] },
    );
  }

  async createTasks(_org: SalesforceOrg, tasks: SalesforceFields[]): Promise<SaveResult[]> {
    this.tasks.push(tasks);
    return tasks.map((_, index) =>
      index < this.refusedTasks
        ? {
            success: false,
            errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }],
          }
        : { id: `00T00000000000${index}`, success: true, errors: [] },
    );
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
  return { api, connector, batch, context: { signal: new AbortController().signal } };
}

describe('SalesforceConnector.deliver', () => {
  it('upserts one Lead per lead and answers one outcome per record, in order', async () => {
    const { api, connector, batch, context } = connectorFor();
    const [first, second] = [anEnrichedLead('acct-1'), anEnrichedLead('acct-1')];
    api.refusedKeys.add(second.lead.lead_id);

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
      [email, 'Hot'],
      [other.enrichment.person_key, 'Hot'],
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

  it('holds the leads of an account without credentials (auth) instead of calling anyone', async () => {
    const { api, connector, batch, context } = connectorFor({ credentials: undefined });
    await expect(connector.deliver(batch(anEnrichedLead('acct-1')), context)).rejects.toEqual(
      new ConnectorError('auth', 'no Salesforce credentials are configured for account acct-1'),
    );
    expect(api.upserts).toHaveLength(0);
  });
});
