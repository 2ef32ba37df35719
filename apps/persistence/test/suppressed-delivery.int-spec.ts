import { anEnhancedLead } from '@lead-delivery/testing';
import { randomUUID } from 'node:crypto';
import { PersistenceHarness } from './persistence-harness';

// A lead a connector did not deliver because the person's identity was erased (outcome suppressed):
// stored, filterable and counted as suppressed, through the real consumer, PostgreSQL and the read API.
// An account of its own keeps the lists and stats to this lead, whatever else the shared broker carries.
describe('persistence: a suppressed delivery', () => {
  const harness = new PersistenceHarness();
  const lead = anEnhancedLead();
  const accountId = `acct-suppressed-${randomUUID()}`;

  beforeAll(async () => {
    await harness.start();
    await harness.publishReceived(lead, { accountId });
    await harness.publishEnriched(lead, { accountId, destinations: ['hubspot', 'salesforce'] });
    await harness.publishDelivery(lead, { accountId, destination: 'hubspot', outcome: 'suppressed' });
    await harness.publishDelivery(lead, {
      accountId,
      destination: 'salesforce',
      outcome: 'failed',
      error: 'CRM 503',
    });
    await harness.consumedEverything();
  });
  afterAll(() => harness.stop());

  it('stores the delivery as suppressed, never delivered', async () => {
    const rows = await harness.query(
      `SELECT status, crm_record_id, delivered_at, speed_to_lead_ms FROM crm_deliveries
        WHERE account_id = $1 AND lead_id = $2 AND destination = 'hubspot'`,
      [accountId, lead.lead_id],
    );
    expect(rows).toEqual([
      { status: 'suppressed', crm_record_id: null, delivered_at: null, speed_to_lead_ms: null },
    ]);
  });

  it('shows it on the lead (delivery status, delivery_suppressed in the timeline) and filters by it', async () => {
    const { status, body } = await harness.get(`/accounts/${accountId}/leads/${lead.lead_id}`);
    expect(status).toBe(200);
    expect(body.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ destination: 'hubspot', status: 'suppressed', delivered_at: null }),
      ]),
    );
    expect(body.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'delivery_suppressed', destination: 'hubspot' }),
      ]),
    );

    const suppressed = await harness.get(`/leads?account=${accountId}&status=suppressed`);
    expect(suppressed.status).toBe(200);
    expect(suppressed.body.items.map((item: { lead_id: string }) => item.lead_id)).toEqual([lead.lead_id]);
    const toSalesforce = await harness.get(
      `/leads?account=${accountId}&status=suppressed&destination=salesforce`,
    );
    expect(toSalesforce.status).toBe(200);
    expect(toSalesforce.body.items).toEqual([]);
  });

  it('counts it as suppressed in the delivery stats and series, so a total is the sum of its outcomes', async () => {
    const since = encodeURIComponent(new Date(Date.parse(lead.timestamp) - 60_000).toISOString());
    const stats = await harness.get(`/stats?since=${since}&account=${accountId}`);
    expect(stats.status).toBe(200);
    expect(stats.body.destinations).toEqual([
      expect.objectContaining({
        destination: 'hubspot',
        total: 1,
        outcomes: { pending: 0, delivered: 0, failed: 0, dead_lettered: 0, skipped: 0, suppressed: 1 },
      }),
      expect.objectContaining({
        destination: 'salesforce',
        total: 1,
        outcomes: { pending: 0, delivered: 0, failed: 1, dead_lettered: 0, skipped: 0, suppressed: 0 },
      }),
    ]);
    const series = await harness.get(
      `/stats/series?bucket=hour&since=${since}&account=${accountId}&destination=hubspot`,
    );
    expect(series.status).toBe(200);
    expect(series.body.points).toEqual([
      expect.objectContaining({
        destination: 'hubspot',
        total: 1,
        pending: 0,
        delivered: 0,
        failed: 0,
        dead_lettered: 0,
        skipped: 0,
        suppressed: 1,
      }),
    ]);
  });
});
