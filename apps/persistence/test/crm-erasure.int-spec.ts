import {
  CRM_ERASURE_COMPLETED_V1,
  PRIVACY_TOPICS,
  type CrmErasureCompletedV1,
  type CrmErasureRequestedV1,
} from '@lead-delivery/contracts';
import { TopicRecorder, anEnhancedLead, expectEventually, uniqueLeadId } from '@lead-delivery/testing';
import { randomUUID } from 'node:crypto';
import { PersistenceHarness } from './persistence-harness';

// Persistence's side of a CRM erasure on a real broker and database: it asks each connector through
// Kafka (it never calls a CRM) and completes the CRM place from the connector's outcome. The test plays
// the connector.

describe('persistence: CRM erasures through Kafka', () => {
  const harness = new PersistenceHarness();
  let requests: TopicRecorder;

  beforeAll(async () => {
    await harness.start();
    requests = await new TopicRecorder(harness.kafka).start(PRIVACY_TOPICS.crmErasureRequested);
  });

  afterAll(async () => {
    await requests?.stop();
    await harness.stop();
  });

  /** A lead of the person delivered to HubSpot (record `crm-<lead id>`) in the account. */
  const deliveredLead = async (email: string, accountId: string) => {
    const lead = anEnhancedLead({ lead_id: uniqueLeadId('crm-erase') });
    lead.contact = { ...lead.contact, email };
    await harness.publishReceived(lead, { accountId, id: randomUUID() });
    await harness.publishEnriched(lead, { destinations: ['hubspot'], accountId }, { id: randomUUID() });
    await harness.publishDelivery(lead, { destination: 'hubspot', outcome: 'delivered', accountId });
    await expectEventually(async () =>
      expect(
        await harness.query(
          'SELECT crm_record_id FROM crm_deliveries WHERE account_id = $1 AND lead_id = $2',
          [accountId, lead.lead_id],
        ),
      ).toEqual([{ crm_record_id: `crm-${lead.lead_id}` }]),
    );
    return lead;
  };

  const requestsOf = (erasureId: string) =>
    requests.records
      .map((record) => ({ record, value: JSON.parse(record.value ?? '{}') as CrmErasureRequestedV1 }))
      .filter(({ value }) => value.erasure_id === erasureId);

  const report = (request: CrmErasureRequestedV1, outcome: Partial<CrmErasureCompletedV1>) =>
    harness.publisher.publish(
      CRM_ERASURE_COMPLETED_V1,
      {
        erasure_id: request.erasure_id,
        destination: request.destination,
        account_id: request.account_id,
        outcome: 'erased',
        method: 'gdpr_delete',
        counts: { contacts_deleted: 1 },
        error: null,
        occurred_at: new Date().toISOString(),
        ...outcome,
      },
      { accountId: request.account_id },
    );

  const placeOf = async (erasureId: string, place: string) =>
    ((await harness.get(`/erasures/${erasureId}`)).body.places as Array<Record<string, unknown>>).find(
      (entry) => entry.place === place,
    );

  it('asks the connector once per account with ids only, and completes the erasure when every account reports erased', async () => {
    const email = `${randomUUID()}@example.com`;
    const agent = await deliveredLead(email, 'acct-agent');
    const brokerage = await deliveredLead(email, 'acct-brokerage');

    const { body } = await harness.post('/erasures', { email });
    const erasureId = body.erasure_id as string;

    const asked = await expectEventually(async () => {
      const found = requestsOf(erasureId);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(asked.map(({ record }) => record.key).sort()).toEqual(['acct-agent', 'acct-brokerage']);
    expect(asked.map(({ value }) => value).sort((a, b) => a.account_id.localeCompare(b.account_id))).toEqual([
      expect.objectContaining({
        destination: 'hubspot',
        account_id: 'acct-agent',
        records: [{ lead_id: agent.lead_id, crm_record_id: `crm-${agent.lead_id}` }],
      }),
      expect.objectContaining({
        destination: 'hubspot',
        account_id: 'acct-brokerage',
        records: [{ lead_id: brokerage.lead_id, crm_record_id: `crm-${brokerage.lead_id}` }],
      }),
    ]);
    for (const { record } of asked) expect(record.value).not.toContain(email);

    const [first, second] = asked.map(({ value }) => value) as [CrmErasureRequestedV1, CrmErasureRequestedV1];
    await report(first, {});
    await expectEventually(async () =>
      expect(await placeOf(erasureId, 'crm:hubspot')).toMatchObject({
        state: 'pending',
        details: {
          accounts_erased: { [first.account_id]: expect.objectContaining({ method: 'gdpr_delete' }) },
        },
      }),
    );

    await report(second, {});
    await expectEventually(async () => {
      const erasure = (await harness.get(`/erasures/${erasureId}`)).body;
      expect(erasure).toMatchObject({ state: 'completed', completed_at: expect.any(String) });
      expect(erasure.places.map((place: { state: string }) => place.state)).toEqual(['done', 'done', 'done']);
    });
  });

  it('reopens the CRM place when a lead in a connector call during the erasure reaches the CRM after it', async () => {
    const email = `${randomUUID()}@example.com`;
    const lead = anEnhancedLead({ lead_id: uniqueLeadId('crm-late') });
    lead.contact = { ...lead.contact, email };
    await harness.publishReceived(lead, { accountId: 'acct-agent', id: randomUUID() });
    await harness.publishEnriched(
      lead,
      { destinations: ['hubspot'], accountId: 'acct-agent' },
      { id: randomUUID() },
    );
    await expectEventually(async () =>
      expect(
        await harness.query(
          'SELECT crm_record_id FROM crm_deliveries WHERE account_id = $1 AND lead_id = $2',
          ['acct-agent', lead.lead_id],
        ),
      ).toEqual([{ crm_record_id: null }]),
    );

    const { body } = await harness.post('/erasures', { email });
    const erasureId = body.erasure_id as string;
    const first = await expectEventually(async () => {
      const found = requestsOf(erasureId);
      expect(found).toHaveLength(1);
      return (found[0] as (typeof found)[number]).value;
    });
    expect(first.records).toEqual([{ lead_id: lead.lead_id, crm_record_id: null }]);
    await report(first, {});
    await expectEventually(async () =>
      expect((await harness.get(`/erasures/${erasureId}`)).body.state).toBe('completed'),
    );

    // The connector's call was under way: HubSpot answers after the erasure, with a contact of the person.
    await harness.publishDelivery(lead, {
      destination: 'hubspot',
      outcome: 'delivered',
      accountId: 'acct-agent',
    });
    const second = await expectEventually(async () => {
      const found = requestsOf(erasureId);
      expect(found).toHaveLength(2);
      return (found[1] as (typeof found)[number]).value;
    });
    expect(second.records).toEqual([{ lead_id: lead.lead_id, crm_record_id: `crm-${lead.lead_id}` }]);
    expect((await harness.get(`/erasures/${erasureId}`)).body.state).toBe('in_progress');

    await report(second, {});
    await expectEventually(async () =>
      expect((await harness.get(`/erasures/${erasureId}`)).body.state).toBe('completed'),
    );
  });

  it('keeps the CRM place pending with the reason when the connector reports that the CRM refused', async () => {
    const email = `${randomUUID()}@example.com`;
    await deliveredLead(email, 'acct-agent');
    const { body } = await harness.post('/erasures', { email });
    const erasureId = body.erasure_id as string;
    const asked = await expectEventually(async () => {
      const found = requestsOf(erasureId);
      expect(found).toHaveLength(1);
      return found[0] as (typeof found)[number];
    });

    await report(asked.value, {
      outcome: 'rejected',
      method: null,
      counts: {},
      error: 'INSUFFICIENT_ACCESS',
    });
    await expectEventually(async () =>
      expect(await placeOf(erasureId, 'crm:hubspot')).toMatchObject({
        state: 'pending',
        last_error: 'INSUFFICIENT_ACCESS',
        attempts: 1,
      }),
    );
    expect((await harness.get(`/erasures/${erasureId}`)).body.state).toBe('in_progress');
  });
});
