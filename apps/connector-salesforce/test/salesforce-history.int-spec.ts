import { anEnrichedLead, expectEventually, uniqueName, useSandboxedConnector } from '@lead-delivery/testing';
import { ORGS, SALESFORCE_SANDBOXED, externalId } from './support/salesforce-sandbox';

const EARLIER_INQUIRIES = 20;

/**
 * Issue 13, "cost flat in history", per person (`acct-person`, org b): the delivery ledger tells the
 * connector which leads it never wrote, so a person's new inquiry gets its Task without a query of the
 * Lead's Tasks (and its Lead upsert and Task go in one Composite call); only a lead whose earlier call may
 * have written it (answer lost in a crash) is queried.
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
  /** A person the org already knows: a Lead with a Task for each of their earlier inquiries. */
  const personWithHistory = async () => {
    const email = `${uniqueName('history')}@example.com`;
    const leadIds = Array.from({ length: EARLIER_INQUIRIES }, () => uniqueName('earlier'));
    await crm.sandbox.client.seedHistory(
      'salesforce',
      { accountId: 'acct-person', people: [{ email, key: keyOf(email), leadIds }] },
      ORGS.b.id,
    );
    return email;
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
});
