import {
  anEnrichedLead,
  expectEventually,
  leadIdsOf,
  uniqueName,
  useSandboxedConnector,
} from '@lead-delivery/testing';
import { ORGS, SALESFORCE_SANDBOXED, externalId } from './support/salesforce-sandbox';

const EARLIER_INQUIRIES = 20;
/** A backlog larger than a Composite call's 25 single-record subrequests, within one collection (200). */
const BACKLOG = 150;

/**
 * Issue 13, "cost flat in history", per person (`acct-person`, org b): the delivery ledger tells the
 * connector which leads it never wrote, so a person's new inquiry gets its Task without a query of the
 * Lead's Tasks (and the Leads' upsert and their Tasks go in one Composite call of two collections, up to
 * 200 leads per call); only a lead whose earlier call may have written it (answer lost in a crash) is
 * queried.
 */
describe('connector-salesforce: calls per lead flat in a person’s history (sandbox, real Kafka, PostgreSQL)', () => {
  const crm = useSandboxedConnector(SALESFORCE_SANDBOXED);

  const keyOf = (email: string) => externalId('acct-person', email.toLowerCase());
  const tasksOf = async (email: string) =>
    (
      await crm.sandbox.client.salesforceLead(keyOf(email), {
        field: 'Realtor_Person_Key__c',
        org: ORGS.b.id,
      })
    )?.tasks ?? [];
  const markedFor = (leadId: string) => (task: Record<string, unknown>) =>
    String(task['Description']).endsWith(`Realtor.com lead id: ${leadId} (account acct-person)`);
  /** People the org already knows: a Lead each, with a Task for each of their earlier inquiries. */
  const peopleWithHistory = async (count: number) => {
    const emails = Array.from({ length: count }, () => `${uniqueName('history')}@example.com`);
    const people = emails.map((email) => ({
      email,
      key: keyOf(email),
      leadIds: Array.from({ length: EARLIER_INQUIRIES }, () => uniqueName('earlier')),
    }));
    await crm.sandbox.client.seedHistory('salesforce', { accountId: 'acct-person', people }, ORGS.b.id);
    return emails;
  };
  const personWithHistory = async () => (await peopleWithHistory(1))[0] as string;
  /** How many Tasks carry each of these leads' marker (one each when nothing was duplicated). */
  const tasksPerLead = async (leadIds: string[]) => {
    const copies = (await crm.sandbox.client.leadCopies('salesforce')).filter(
      (copy) => copy.accountId === 'acct-person' && leadIds.includes(copy.leadId),
    );
    return leadIds.map((leadId) => copies.filter((copy) => copy.leadId === leadId).length);
  };
  /**
   * Inquiries waiting on the topic before the app starts, made after the delivery ledger began (it was
   * installed by an app that ran and stopped), so that it vouches for them as never written.
   */
  const backlogOf = async (emails: string[]) => {
    await crm.bed.startApp(crm.env());
    await crm.bed.stopApps();
    const leads = emails.map((email) => anEnrichedLead('acct-person', { email }));
    await crm.sandbox.client.clearRequests();
    await crm.bed.produce(leads);
    return leads;
  };
  const dataCalls = async () => {
    const { byEndpoint } = await crm.sandbox.client.requestCounts({ crm: 'salesforce', tenant: ORGS.b.id });
    return Object.fromEntries(
      Object.entries(byEndpoint)
        .filter(([endpoint]) => endpoint !== 'salesforce.oauth.token')
        .map(([endpoint, counts]) => [endpoint, counts.total]),
    );
  };
  /** Data API calls of one delivery (the OAuth token is fetched once per process, not per lead). */
  const deliverAndCount = async (email: string) => {
    await crm.sandbox.client.clearRequests();
    const lead = anEnrichedLead('acct-person', { email });
    await crm.bed.produce([lead]);
    await expectEventually(() => expect(crm.bed.delivered([lead.lead.lead_id])).toHaveLength(1));
    const { byEndpoint } = await crm.sandbox.client.requestCounts({ crm: 'salesforce', tenant: ORGS.b.id });
    const data = Object.entries(byEndpoint).filter(([endpoint]) => endpoint !== 'salesforce.oauth.token');
    return {
      lead,
      endpoints: data.map(([endpoint]) => endpoint).sort(),
      calls: data.reduce((sum, [, counts]) => sum + counts.total, 0),
    };
  };

  it('a person with 20 earlier inquiries costs the same calls as a new person: upsert and Task in one Composite call, no query', async () => {
    await crm.bed.startApp(crm.env());
    const known = await personWithHistory();

    const newPerson = await deliverAndCount(`${uniqueName('new')}@example.com`);
    const longHistory = await deliverAndCount(known);

    expect(newPerson.calls).toBe(1);
    expect(longHistory.calls).toBe(newPerson.calls);
    expect(longHistory.endpoints).toEqual(['salesforce.composite']);
    const tasks = await tasksOf(known);
    expect(tasks).toHaveLength(EARLIER_INQUIRIES + 1);
    expect(tasks.filter(markedFor(longHistory.lead.lead.lead_id))).toHaveLength(1);
  });

  it('a crash between the Task write and the commit leaves one Task: the restarted connector queries for it', async () => {
    const email = await personWithHistory();
    // Salesforce saves the Task, but its answer does not come before the app is gone.
    await crm.sandbox.client.loseAnswers(
      'salesforce',
      { count: 1, endpoint: 'salesforce.composite', afterMs: 5_000 },
      ORGS.b.id,
    );
    await crm.bed.startApp(crm.env({ CONNECTOR_SHUTDOWN_GRACE_MS: '200' }));
    const lead = anEnrichedLead('acct-person', { email });
    await crm.bed.produce([lead]);
    await expectEventually(async () => expect(await tasksOf(email)).toHaveLength(EARLIER_INQUIRIES + 1));
    await crm.bed.stopApps(); // abandoned after the grace period: the ledger holds the intent, the offset is not committed
    expect(crm.bed.deliveryEvents([lead.lead.lead_id])).toHaveLength(0);
    await crm.sandbox.client.clearRequests();

    await crm.bed.startApp(crm.env());
    await expectEventually(() => expect(crm.bed.delivered([lead.lead.lead_id])).toHaveLength(1), {
      timeoutMs: 30_000,
    });

    const tasks = await tasksOf(email);
    expect(tasks).toHaveLength(EARLIER_INQUIRIES + 1);
    expect(tasks.filter(markedFor(lead.lead.lead_id))).toHaveLength(1);
    const calls = await crm.sandbox.client.requestCounts({ crm: 'salesforce', tenant: ORGS.b.id });
    expect(calls.byEndpoint['salesforce.query']?.total).toBe(1);
    // Nothing written after the restart (the lost call may be logged late, when the sandbox closes it).
    expect(calls.byEndpoint['salesforce.collections.create']).toBeUndefined();
    const composite = calls.byEndpoint['salesforce.composite'];
    expect(composite?.total ?? 0).toBe(composite?.byFault['lost-answer'] ?? 0);
  });

  it(`a backlog of ${BACKLOG} new inquiries of people with history goes in one Composite call per 200 leads, one Task each`, async () => {
    const emails = await peopleWithHistory(BACKLOG);
    const leads = await backlogOf(emails);

    await crm.bed.startApp(crm.env());
    await expectEventually(() => expect(crm.bed.delivered(leadIdsOf(leads))).toHaveLength(BACKLOG), {
      timeoutMs: 30_000,
    });

    // The backlog is read in one fetch and sent as one batch: one call, with its 150 Leads and 150 Tasks.
    expect(await dataCalls()).toEqual({ 'salesforce.composite': 1 });
    const { entries } = await crm.sandbox.client.requests({
      crm: 'salesforce',
      tenant: ORGS.b.id,
      endpoint: 'salesforce.composite',
    });
    expect(entries.map((entry) => [entry.status, entry.records])).toEqual([[200, 2 * BACKLOG]]);
    expect(await tasksPerLead(leadIdsOf(leads))).toEqual(leads.map(() => 1));
    expect(await tasksOf(emails[0] as string)).toHaveLength(EARLIER_INQUIRIES + 1);
  });

  it('a Lead rejected in a Composite call fails alone: the others are delivered, their halted Tasks created by one more call', async () => {
    const emails = await peopleWithHistory(30);
    await crm.sandbox.client.setFaults(
      'salesforce',
      { validationRules: [{ field: 'Email', pattern: '^refused\\.', message: 'No refused leads' }] },
      ORGS.b.id,
    );
    const leads = await backlogOf([...emails, `refused.${uniqueName('person')}@example.com`]);
    const refused = leads.at(-1) as (typeof leads)[number];

    await crm.bed.startApp(crm.env());
    await expectEventually(
      () => {
        expect(crm.bed.delivered(leadIdsOf(leads))).toHaveLength(emails.length);
        expect(crm.bed.deliveryEvents([refused.lead.lead_id])).not.toHaveLength(0);
      },
      { timeoutMs: 30_000 },
    );

    expect(crm.bed.delivered([refused.lead.lead_id])).toHaveLength(0);
    const others = leadIdsOf(leads).filter((leadId) => leadId !== refused.lead.lead_id);
    expect(await tasksPerLead(others)).toEqual(others.map(() => 1));
    expect(await tasksPerLead([refused.lead.lead_id])).toEqual([0]);
    // One Composite call, then the Tasks halted with the refused Lead in one Tasks call: no Lead upserted
    // again, no Task looked for (the ledger knew them unwritten).
    const calls = await dataCalls();
    expect(calls['salesforce.composite']).toBe(1);
    expect(calls['salesforce.collections.create']).toBe(1);
    expect(calls['salesforce.collections.upsert']).toBeUndefined();
    expect(calls['salesforce.query']).toBeUndefined();
  });
});
