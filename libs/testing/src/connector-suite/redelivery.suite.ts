/// <reference types="jest" />
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { leadIdsOf } from '../connector-test-bed';
import { expectEventually } from '../expect-eventually';
import type { ConnectorSuiteSubject, SuiteActivities } from './connector-suite-subject';
import type { SandboxedConnector } from './sandboxed-connector';
import { leadsTo } from './suite-leads';
import { callsTo, lostAnswersOf, type SuiteEndpoint } from './suite-endpoint';

/**
 * "Each routed CRM once in effect" for activities: a lead that reaches the connector again (sent twice,
 * or redelivered because its offset was not committed) must not leave a second activity on its record.
 */
export function describeRedelivery(
  subject: ConnectorSuiteSubject,
  activities: SuiteActivities,
  crm: SandboxedConnector,
): void {
  const aLead = leadsTo(subject.connector.destination);
  const { id: accountId, tenant } = activities.account;
  const recordOf = (lead: LeadEnrichedV1) => subject.records.recordOf(crm.sandbox.client, lead, tenant);
  const activitiesOf = async (lead: LeadEnrichedV1) => (await recordOf(lead))?.activities ?? [];
  const markedFor = (lead: LeadEnrichedV1) => (text: string) => text.endsWith(activities.marker(lead));
  const calls = (endpoint: SuiteEndpoint) => callsTo(crm.sandbox.client, subject.crm, endpoint, tenant);

  it('the same lead delivered twice leaves one activity; the second is settled from the ledger without a CRM call', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    const lead = aLead(accountId);
    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1));
    expect((await calls(subject.endpoints.upsert)).total).toBe(1);
    expect((await calls(activities.endpoint)).total).toBe(1);
    expect((await calls(activities.lookup)).total).toBe(0);
    await sandbox.client.clearRequests();

    await bed.produce([lead]);
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(2));

    const record = await recordOf(lead);
    expect(record?.activities).toHaveLength(1);
    expect(record?.activities.filter(markedFor(lead))).toHaveLength(1);
    expect(bed.delivered([lead.lead.lead_id]).map((event) => event.crm_record_id)).toEqual([
      record?.id,
      record?.id,
    ]);
    expect((await sandbox.client.requestCounts({ crm: subject.crm })).total).toBe(0);
  });

  it('a connector stopped after the CRM saved the activity but before the offset was committed: after restart, still one activity', async () => {
    const { bed, sandbox } = crm;
    // The activity call is carried out, but its answer does not come before the app is gone.
    await sandbox.client.loseAnswers(
      subject.crm,
      lostAnswersOf(activities.endpoint, { count: 1, afterMs: 5_000 }),
      tenant,
    );
    await bed.startApp(crm.env({ CONNECTOR_SHUTDOWN_GRACE_MS: '200' }));
    const lead = aLead(accountId);
    await bed.produce([lead]);
    await expectEventually(async () => expect(await activitiesOf(lead)).toHaveLength(1));

    await bed.stopApps(); // the call never answered within the grace period: abandoned, nothing committed
    expect(bed.deliveryEvents([lead.lead.lead_id])).toHaveLength(0);

    await bed.startApp(crm.env());
    await expectEventually(() => expect(bed.delivered([lead.lead.lead_id])).toHaveLength(1), {
      timeoutMs: 30_000,
    });
    const record = await recordOf(lead);
    expect(record?.activities).toHaveLength(1);
    expect(record?.activities.filter(markedFor(lead))).toHaveLength(1);
    expect(bed.delivered([lead.lead.lead_id])[0]?.crm_record_id).toBe(record?.id);
    expect((await calls(activities.lookup)).total).toBe(1);
    // The lost call is logged when the sandbox closes its connection; nothing was written after the restart.
    await expectEventually(
      async () =>
        expect(await calls(activities.endpoint)).toMatchObject({
          total: 1,
          byFault: { 'lost-answer': 1 },
        }),
      { timeoutMs: 10_000 },
    );
  });

  it('an activity call whose answer is lost is retried by looking the activities up first, not by writing again', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env());
    await sandbox.client.loseAnswers(subject.crm, lostAnswersOf(activities.endpoint, { count: 1 }), tenant);
    const leads = Array.from({ length: 5 }, () => aLead(accountId));
    await bed.produce(leads);
    await expectEventually(() => expect(bed.delivered(leadIdsOf(leads))).toHaveLength(5));

    for (const lead of leads) {
      const activities = await activitiesOf(lead);
      expect(activities).toHaveLength(1);
      expect(activities.filter(markedFor(lead))).toHaveLength(1);
    }
    const written = await calls(activities.endpoint);
    expect(written.byFault).toEqual({ 'lost-answer': 1 });
    expect(written.records).toBe(5);
    expect((await calls(activities.lookup)).total).toBeGreaterThan(0);
  });
}
