import { aStandardLead, anEnhancedLead, expectEventually, uniqueLeadId } from '@lead-delivery/testing';
import { crmCopiesOf } from './crm-records';
import { DEFAULT_ACCOUNT, freshLead, startPipeline, type LeadDetails, type Pipeline } from './pipeline';

const SOLO = 'acct-solo-agent';

// The whole platform as separate processes (gateway, enrichment, persistence, both connectors, the CRM
// sandbox) on a Kafka broker and a PostgreSQL database of its own, with the local stack's accounts and
// routing rules (config/local): acct-austin-brokerage → HubSpot always, Salesforce for hot and warm
// leads; acct-solo-agent → HubSpot and Follow Up Boss from score 50, else nowhere.

describe('the full pipeline, end to end', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline('pipeline', 21_000);
  }, 600_000);

  afterAll(async () => {
    await pipeline?.stop();
  }, 120_000);

  /** Waits until the account's lead is stored, enriched and every routed CRM answered delivered. */
  const settled = (leadId: string, accountId = DEFAULT_ACCOUNT.id) =>
    expectEventually(
      async () => {
        const details = (await pipeline.details(accountId, leadId)) as LeadDetails;
        expect(details?.lead.destinations).not.toBeNull();
        const delivered = details.deliveries
          .filter((delivery) => delivery.status === 'delivered')
          .map((delivery) => delivery.destination);
        expect(delivered.sort()).toEqual([...(details.lead.destinations ?? [])].sort());
        return details;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

  it('takes an enhanced hot lead to PostgreSQL, both CRMs exactly once, and shows its timeline and speed to lead', async () => {
    const lead = freshLead(anEnhancedLead({ lead_id: uniqueLeadId('e2e-hot') }));
    expect((await pipeline.post(lead)).status).toBe(200);

    const details = await settled(lead.lead_id);
    expect(details.lead).toMatchObject({ kind: 'enhanced', enrichment: { tier: 'hot' } });
    expect([...(details.lead.destinations ?? [])].sort()).toEqual(['hubspot', 'salesforce']);
    expect(details.timeline.map((event) => event.type)).toEqual(
      expect.arrayContaining(['received', 'enriched']),
    );
    expect(
      details.timeline
        .filter((event) => event.type === 'delivered')
        .map((event) => event.destination)
        .sort(),
    ).toEqual(['hubspot', 'salesforce']);
    for (const delivery of details.deliveries) {
      expect(delivery.crm_record_id).toBeTruthy();
      expect(delivery.speed_to_lead_ms).toBeGreaterThan(0);
      expect(delivery.speed_to_lead_ms).toBeLessThan(60_000);
    }
    expect(
      await crmCopiesOf(pipeline.sandbox, { accountId: DEFAULT_ACCOUNT.id, leadId: lead.lead_id }),
    ).toMatchObject({
      salesforce: 1,
      hubspot: 1,
    });
  });

  it('delivers a standard lead to the CRMs its routing names, once, even when posted twice', async () => {
    const lead = freshLead(aStandardLead({ lead_id: uniqueLeadId('e2e-standard') }));
    expect((await pipeline.post(lead)).status).toBe(200);
    expect((await pipeline.post(lead)).status).toBe(200);

    const details = await settled(lead.lead_id);
    expect(details.lead.kind).toBe('standard');
    expect(details.lead.destinations).toContain('hubspot');
    const copies = await crmCopiesOf(pipeline.sandbox, {
      accountId: DEFAULT_ACCOUNT.id,
      leadId: lead.lead_id,
    });
    expect(copies.hubspot).toBe(1);
    expect(copies.salesforce).toBe(details.lead.destinations?.includes('salesforce') ? 1 : 0);
  });

  it('verifies a signed lead and routes it to the CRMs of the solo agent', async () => {
    const lead = freshLead(anEnhancedLead({ lead_id: uniqueLeadId('e2e-signed') }));
    expect(
      (await pipeline.post(lead, { apiKey: 'local-solo-key', hmacSecret: 'local-solo-hmac-secret' })).status,
    ).toBe(200);
    expect(
      (await pipeline.post({ ...lead, lead_id: uniqueLeadId('e2e-forged') }, { apiKey: 'local-solo-key' }))
        .status,
    ).toBe(200);
    const forged = await pipeline.post(
      { ...lead, digital_signature: 'Zm9yZ2Vk' },
      { apiKey: 'local-solo-key' },
    );
    expect(forged.status).toBe(401);

    const details = await settled(lead.lead_id, SOLO);
    expect(details.lead.destinations).toEqual(['hubspot', 'followupboss']);
    expect(await crmCopiesOf(pipeline.sandbox, { accountId: SOLO, leadId: lead.lead_id })).toEqual({
      salesforce: 0,
      hubspot: 1,
      followupboss: 1,
    });
  });

  it('keeps the same lead posted by two accounts as two leads, each delivered to the CRMs it is routed to', async () => {
    const lead = freshLead(anEnhancedLead({ lead_id: uniqueLeadId('e2e-two-accounts') }));
    expect((await pipeline.post(lead)).status).toBe(200);
    expect((await pipeline.post(lead, { apiKey: 'local-solo-key' })).status).toBe(200);

    const brokerage = await settled(lead.lead_id);
    const agent = await settled(lead.lead_id, SOLO);
    expect([brokerage.lead.account_id, agent.lead.account_id]).toEqual([DEFAULT_ACCOUNT.id, SOLO]);
    expect([...(brokerage.lead.destinations ?? [])].sort()).toEqual(['hubspot', 'salesforce']);
    expect(agent.lead.destinations).toEqual(['hubspot', 'followupboss']);
    expect(
      await crmCopiesOf(pipeline.sandbox, { accountId: DEFAULT_ACCOUNT.id, leadId: lead.lead_id }),
    ).toEqual({ salesforce: 1, hubspot: 1, followupboss: 0 });
    expect(await crmCopiesOf(pipeline.sandbox, { accountId: SOLO, leadId: lead.lead_id })).toEqual({
      salesforce: 0,
      hubspot: 1,
      followupboss: 1,
    });
  });

  it('stores and enriches a lead routed nowhere, and sends it to no CRM', async () => {
    const lead = {
      lead_id: uniqueLeadId('e2e-nowhere'),
      contact: { email: `${uniqueLeadId('browsing')}@example.com` },
      timestamp: new Date(Date.now() - 30 * 24 * 3_600_000).toISOString(),
    };
    expect((await pipeline.post(lead, { apiKey: 'local-solo-key' })).status).toBe(200);

    const details = await expectEventually(
      async () => {
        const found = (await pipeline.details(SOLO, lead.lead_id)) as LeadDetails;
        expect(found?.lead.destinations).toEqual([]);
        return found;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(details.deliveries).toEqual([]);
    // Give the connectors the time they would take, then check nothing arrived.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await crmCopiesOf(pipeline.sandbox, { accountId: SOLO, leadId: lead.lead_id })).toMatchObject({
      salesforce: 0,
      hubspot: 0,
      followupboss: 0,
    });
  });

  it('reports speed to lead per destination in /stats', async () => {
    const response = await fetch(`${pipeline.readApiUrl}/stats`, {
      headers: { authorization: 'Bearer local-operator-token-change-me' },
    });
    expect(response.status).toBe(200);
    const stats = JSON.stringify(await response.json());
    expect(stats).toContain('hubspot');
    expect(stats).toContain('salesforce');
    expect(stats).toMatch(/p50|p99/);
  });
});
