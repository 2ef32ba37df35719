import { anEnhancedLead } from '@lead-delivery/testing';
import { randomUUID } from 'node:crypto';
import { PersistenceHarness } from './persistence-harness';

// A lead the CRM account declined on purpose (Follow Up Boss's 204 for an archived lead source): stored
// and shown as skipped, through the real consumer, PostgreSQL and the read API. An account of its own
// keeps the lists and stats to this lead, whatever else the shared broker carries.
describe('persistence: a skipped delivery', () => {
  const harness = new PersistenceHarness();
  const lead = anEnhancedLead();
  const accountId = `acct-skipped-${randomUUID()}`;
  const reason = 'lead_source_archived: lead flow archived: Follow Up Boss ignored the event (204)';

  beforeAll(async () => {
    await harness.start();
    await harness.publishReceived(lead, { accountId });
    await harness.publishEnriched(lead, { accountId, destinations: ['followupboss', 'hubspot'] });
    await harness.publishDelivery(lead, {
      accountId,
      destination: 'followupboss',
      outcome: 'skipped',
      error: reason,
    });
    await harness.publishDelivery(lead, { accountId, destination: 'hubspot', outcome: 'delivered' });
    await harness.consumedEverything();
  });
  afterAll(() => harness.stop());

  it('stores the delivery as skipped, its reason as the last error, never delivered', async () => {
    const rows = await harness.query(
      `SELECT status, last_error, delivered_at, speed_to_lead_ms FROM crm_deliveries
        WHERE account_id = $1 AND lead_id = $2 AND destination = 'followupboss'`,
      [accountId, lead.lead_id],
    );
    expect(rows).toEqual([
      { status: 'skipped', last_error: reason, delivered_at: null, speed_to_lead_ms: null },
    ]);
  });

  it('shows it on the lead (delivery status, delivery_skipped in the timeline) and filters by it', async () => {
    const { status, body } = await harness.get(`/accounts/${accountId}/leads/${lead.lead_id}`);
    expect(status).toBe(200);
    expect(body.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ destination: 'followupboss', status: 'skipped', last_error: reason }),
        expect.objectContaining({ destination: 'hubspot', status: 'delivered' }),
      ]),
    );
    expect(body.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'delivery_skipped',
          destination: 'followupboss',
          details: expect.objectContaining({ error: reason }),
        }),
      ]),
    );

    const skipped = await harness.get(`/leads?account=${accountId}&status=skipped&destination=followupboss`);
    expect(skipped.status).toBe(200);
    expect(skipped.body.items.map((item: { lead_id: string }) => item.lead_id)).toEqual([lead.lead_id]);
  });

  it('counts it as skipped in the delivery stats and series, not as delivered, failed or dead-lettered', async () => {
    const since = encodeURIComponent(new Date(Date.parse(lead.timestamp) - 60_000).toISOString());
    const stats = await harness.get(`/stats?since=${since}&account=${accountId}&destination=followupboss`);
    expect(stats.body.destinations).toEqual([
      expect.objectContaining({
        destination: 'followupboss',
        total: 1,
        outcomes: { pending: 0, delivered: 0, failed: 0, dead_lettered: 0, skipped: 1, suppressed: 0 },
      }),
    ]);
    const series = await harness.get(
      `/stats/series?bucket=hour&since=${since}&account=${accountId}&destination=followupboss`,
    );
    expect(series.body.points).toEqual([
      expect.objectContaining({ total: 1, delivered: 0, failed: 0, dead_lettered: 0, skipped: 1 }),
    ]);
  });
});
