import { anEnhancedLead } from '@lead-delivery/testing';
import { PersistenceHarness } from './persistence-harness';

// A lead the CRM account declined on purpose (Follow Up Boss's 204 for an archived lead source): stored
// and shown as skipped, through the real consumer, PostgreSQL and the read API.
describe('persistence: a skipped delivery', () => {
  const harness = new PersistenceHarness();
  const lead = anEnhancedLead();
  const reason = 'lead_source_archived: lead flow archived: Follow Up Boss ignored the event (204)';

  beforeAll(async () => {
    await harness.start();
    await harness.publishReceived(lead);
    await harness.publishEnriched(lead, { destinations: ['followupboss', 'hubspot'] });
    await harness.publishDelivery(lead, { destination: 'followupboss', outcome: 'skipped', error: reason });
    await harness.publishDelivery(lead, { destination: 'hubspot', outcome: 'delivered' });
    await harness.consumedEverything();
  });
  afterAll(() => harness.stop());

  it('stores the delivery as skipped, its reason as the last error, never delivered', async () => {
    const rows = await harness.query(
      `SELECT status, last_error, delivered_at, speed_to_lead_ms FROM crm_deliveries
        WHERE lead_id = $1 AND destination = 'followupboss'`,
      [lead.lead_id],
    );
    expect(rows).toEqual([
      { status: 'skipped', last_error: reason, delivered_at: null, speed_to_lead_ms: null },
    ]);
  });

  it('shows it on the lead (delivery status, delivery_skipped in the timeline) and filters by it', async () => {
    const { status, body } = await harness.get(`/accounts/acct-austin/leads/${lead.lead_id}`);
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

    const skipped = await harness.get('/leads?status=skipped&destination=followupboss');
    expect(skipped.status).toBe(200);
    expect(skipped.body.items.map((item: { lead_id: string }) => item.lead_id)).toEqual([lead.lead_id]);
  });
});
