import { anEnhancedLead, expectEventually } from '@lead-delivery/testing';
import { randomUUID } from 'node:crypto';
import { RetentionJob } from '../src/retention/retention.job';
import { PersistenceHarness } from './persistence-harness';

const DAY = 24 * 60 * 60 * 1000;

describe('persistence: erasure requests and retention', () => {
  const harness = new PersistenceHarness();

  const storeLead = async (
    email: string,
    options: { phone?: string; timestamp?: Date; error?: string; accountId?: string } = {},
  ) => {
    const lead = anEnhancedLead({
      timestamp: (options.timestamp ?? new Date(Date.now() - 60_000)).toISOString(),
    });
    lead.contact = { ...lead.contact, email, phone: options.phone ?? lead.contact.phone };
    const accountId = options.accountId ?? 'acct-austin';
    const envelopes = { received: { id: randomUUID(), accountId }, enriched: { id: randomUUID() } };
    const routing = { destinations: ['hubspot'], accountId };
    await harness.publishReceived(lead, envelopes.received);
    await harness.publishEnriched(lead, routing, envelopes.enriched);
    await harness.publishDelivery(lead, {
      destination: 'hubspot',
      outcome: 'failed',
      error: options.error ?? 'HTTP 500',
      accountId,
    });
    await expectEventually(async () =>
      expect(
        await harness.query('SELECT status FROM crm_deliveries WHERE account_id = $1 AND lead_id = $2', [
          accountId,
          lead.lead_id,
        ]),
      ).toEqual([{ status: 'failed' }]),
    );
    return {
      lead,
      replay: () =>
        Promise.all([
          harness.publishReceived(lead, envelopes.received),
          harness.publishEnriched(lead, routing, envelopes.enriched),
        ]),
    };
  };

  const piiOf = async (leadId: string) =>
    (
      await harness.query(
        `SELECT first_name, last_name, full_name, email, phone, phone_e164, address, message, raw, warnings,
                person_key, erased_at IS NOT NULL AS erased
         FROM leads WHERE lead_id = $1`,
        [leadId],
      )
    )[0];

  const ERASED = {
    first_name: null,
    last_name: null,
    full_name: null,
    email: null,
    phone: null,
    phone_e164: null,
    address: null,
    message: null,
    raw: null,
    warnings: null,
    person_key: null,
    erased: true,
  };

  beforeAll(() => harness.start({ RETENTION_DAYS: '30' }));
  afterAll(() => harness.stop());

  describe('POST /erasures', () => {
    it("removes a person's personal data from every table, records it in the timeline, and keeps it removed on replay", async () => {
      const email = `Erase.Me.${randomUUID()}@Example.com`;
      const first = await storeLead(email.toLowerCase(), { error: `CRM rejected ${email.toLowerCase()}` });
      const second = await storeLead(email.toLowerCase());
      const bystander = await storeLead(`keep.${randomUUID()}@example.com`);

      const { status, body } = await harness.post('/erasures', { email });
      expect(status).toBe(200);
      expect(body).toEqual({
        erasure_id: expect.any(String),
        erased_leads: [first.lead.lead_id, second.lead.lead_id]
          .sort()
          .map((leadId) => ({ account_id: 'acct-austin', lead_id: leadId })),
        people_removed: 1,
      });

      for (const { lead } of [first, second]) {
        expect(await piiOf(lead.lead_id)).toEqual(ERASED);
        const [delivery] = await harness.query(
          'SELECT status, last_error FROM crm_deliveries WHERE lead_id = $1',
          [lead.lead_id],
        );
        expect(delivery).toEqual({ status: 'failed', last_error: null });
        const timeline = await harness.query<{ type: string; details: Record<string, unknown> }>(
          'SELECT type, details FROM lead_events WHERE lead_id = $1 ORDER BY recorded_at',
          [lead.lead_id],
        );
        expect(timeline.at(-1)).toEqual({
          type: 'erased',
          details: { erasure_id: body.erasure_id, matched_by: ['email'] },
        });
        expect(JSON.stringify(timeline)).not.toContain(email.toLowerCase());
      }
      expect(
        await harness.query('SELECT 1 FROM people WHERE person_key = $1', [email.toLowerCase()]),
      ).toEqual([]);
      expect(await piiOf(bystander.lead.lead_id)).toMatchObject({
        email: bystander.lead.contact.email,
        erased: false,
      });

      // Replayed events (a consumer-group reset, a redelivery) bring nothing personal back.
      await first.replay();
      await harness.publishDelivery(first.lead, {
        destination: 'hubspot',
        outcome: 'failed',
        error: `again ${email.toLowerCase()}`,
      });
      await harness.consumedEverything();
      expect(await piiOf(first.lead.lead_id)).toEqual(ERASED);
      expect(
        await harness.query('SELECT 1 FROM people WHERE person_key = $1', [email.toLowerCase()]),
      ).toEqual([]);
      const stored = JSON.stringify(
        await harness.query(
          'SELECT d.*, e.details FROM crm_deliveries d JOIN lead_events e USING (lead_id) WHERE lead_id = $1',
          [first.lead.lead_id],
        ),
      );
      expect(stored).not.toContain(email.toLowerCase());

      const detail = await harness.get(`/accounts/acct-austin/leads/${first.lead.lead_id}`);
      expect(detail.body.lead).toMatchObject({
        contact: { email: null },
        raw: null,
        erased_at: expect.any(String),
      });
      expect(detail.body.timeline.map((event: { type: string }) => event.type)).toContain('erased');
    });

    it('erases by phone number, whatever format the lead sent it in', async () => {
      const phone = `(512) 555-${String(Math.floor(Math.random() * 9_000) + 1_000)}`;
      const { lead } = await storeLead(`phone.${randomUUID()}@example.com`, { phone });
      // The enrichment stand-in normalises every phone to +15125550142; only the raw number identifies this one.
      const { status, body } = await harness.post('/erasures', { phone: `+1 ${phone.replace(/\D/g, '')}` });
      expect(status).toBe(200);
      expect(body.erased_leads).toContainEqual({ account_id: 'acct-austin', lead_id: lead.lead_id });
      expect(await piiOf(lead.lead_id)).toEqual(ERASED);
    });

    it('erases the person from every account they asked, one person per account', async () => {
      const email = `two.accounts.${randomUUID()}@example.com`;
      const agent = await storeLead(email, { accountId: 'acct-agent' });
      const brokerage = await storeLead(email, { accountId: 'acct-brokerage' });
      expect(
        await harness.query('SELECT account_id FROM people WHERE person_key = $1 ORDER BY 1', [email]),
      ).toEqual([{ account_id: 'acct-agent' }, { account_id: 'acct-brokerage' }]);

      const { body } = await harness.post('/erasures', { email });
      expect(body).toMatchObject({
        erased_leads: [
          { account_id: 'acct-agent', lead_id: agent.lead.lead_id },
          { account_id: 'acct-brokerage', lead_id: brokerage.lead.lead_id },
        ],
        people_removed: 2,
      });
      expect(await piiOf(agent.lead.lead_id)).toEqual(ERASED);
      expect(await piiOf(brokerage.lead.lead_id)).toEqual(ERASED);
    });

    it('answers 400 problem details for a request without a valid email or phone', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, '/email'],
        [{ email: 'not-an-email' }, '/email'],
        [{ phone: '12' }, '/phone'],
        [{ phone: 'call me maybe' }, '/phone'],
        [{ email: 'a@example.com', extra: true }, '/extra'],
      ];
      for (const [request, pointer] of cases) {
        const { status, body, headers } = await harness.post('/erasures', request);
        expect({ request, status }).toEqual({ request, status: 400 });
        expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(body.errors).toEqual([{ pointer, detail: expect.any(String) }]);
      }
    });
  });

  describe('retention', () => {
    it('purges raw payloads and messages of leads older than RETENTION_DAYS, and only those', async () => {
      const old = await storeLead(`old.${randomUUID()}@example.com`, {
        timestamp: new Date(Date.now() - 31 * DAY),
      });
      const recent = await storeLead(`recent.${randomUUID()}@example.com`, {
        timestamp: new Date(Date.now() - 29 * DAY),
      });

      expect(await harness.app.get(RetentionJob).purgeExpired()).toBeGreaterThanOrEqual(1);

      const [purged] = await harness.query(
        'SELECT raw, message, raw_purged_at, email, tier FROM leads WHERE lead_id = $1',
        [old.lead.lead_id],
      );
      expect(purged).toMatchObject({
        raw: null,
        message: null,
        raw_purged_at: expect.any(Date),
        email: old.lead.contact.email,
        tier: 'warm',
      });
      const [kept] = await harness.query('SELECT raw, message, raw_purged_at FROM leads WHERE lead_id = $1', [
        recent.lead.lead_id,
      ]);
      expect(kept).toMatchObject({
        raw: expect.objectContaining({ lead_id: recent.lead.lead_id }),
        message: recent.lead.message,
        raw_purged_at: null,
      });
      expect(await harness.app.get(RetentionJob).purgeExpired()).toBe(0);
    });
  });
});
