import { anEnhancedLead, expectEventually, uniqueLeadId } from '@lead-delivery/testing';
import { randomUUID } from 'node:crypto';
import { PersistenceHarness } from './persistence-harness';

// Suppression of erased identities on a real broker and database: after an erasure, a lead of the same
// person (a new inquiry in flight, or a replay) is stored without personal data and marked erased.

describe('persistence: erased identities stay suppressed', () => {
  const harness = new PersistenceHarness();

  beforeAll(async () => {
    await harness.start();
  });

  afterAll(async () => {
    await harness.stop();
  });

  const leadOf = (email: string, phone = '+15125550142') => {
    const lead = anEnhancedLead({ lead_id: uniqueLeadId('suppress') });
    lead.contact = { ...lead.contact, email, phone };
    return lead;
  };

  const publish = async (lead: ReturnType<typeof leadOf>, accountId: string) => {
    await harness.publishReceived(lead, { accountId, id: randomUUID() });
    await harness.publishEnriched(lead, { destinations: ['hubspot'], accountId }, { id: randomUUID() });
  };

  const stored = (accountId: string, leadId: string) =>
    expectEventually(async () => {
      const [row] = await harness.query(
        `SELECT email, phone, phone_e164, first_name, last_name, message, raw, person_key, tier,
                erased_at IS NOT NULL AS erased, enriched_at IS NOT NULL OR erased_at IS NOT NULL AS enriched
         FROM leads WHERE account_id = $1 AND lead_id = $2`,
        [accountId, leadId],
      );
      expect(row).toMatchObject({ enriched: true });
      return row;
    });

  const erase = async (body: object) => {
    const { body: answer } = await harness.post('/erasures', body);
    await expectEventually(async () =>
      expect(
        (await harness.get(`/erasures/${answer.erasure_id}`)).body.places.find(
          (place: { place: string }) => place.place === 'postgres',
        ),
      ).toMatchObject({ state: 'done' }),
    );
    return answer.erasure_id as string;
  };

  it('stores a later lead of the erased email without personal data, marked erased, and no person', async () => {
    const email = `${randomUUID()}@example.com`;
    const first = leadOf(email);
    await publish(first, 'acct-austin');
    await stored('acct-austin', first.lead_id);
    const erasureId = await erase({ email });

    const later = leadOf(email.toUpperCase(), '+15125550199');
    await publish(later, 'acct-austin');
    const row = await stored('acct-austin', later.lead_id);
    expect(row).toEqual({
      email: null,
      phone: null,
      phone_e164: null,
      first_name: null,
      last_name: null,
      message: null,
      raw: null,
      person_key: null,
      tier: null,
      erased: true,
      enriched: true,
    });
    expect(await harness.query('SELECT 1 FROM people WHERE person_key = $1', [email])).toEqual([]);
    const timeline = await harness.query(
      `SELECT type, details FROM lead_events WHERE account_id = $1 AND lead_id = $2 AND type = 'erased'`,
      ['acct-austin', later.lead_id],
    );
    expect(timeline).toEqual([{ type: 'erased', details: { erasure_id: erasureId, suppressed: true } }]);
  });

  it('suppresses by phone as the lead wrote it, and only in the erased account when the erasure was scoped', async () => {
    const phone = '(512) 555-0177';
    await erase({ phone: '+1 512 555 0177', account_id: 'acct-agent' });

    const inAccount = leadOf(`${randomUUID()}@example.com`, phone);
    const elsewhere = leadOf(`${randomUUID()}@example.com`, phone);
    await publish(inAccount, 'acct-agent');
    await publish(elsewhere, 'acct-brokerage');
    expect(await stored('acct-agent', inAccount.lead_id)).toMatchObject({
      email: null,
      phone: null,
      erased: true,
    });
    expect(await stored('acct-brokerage', elsewhere.lead_id)).toMatchObject({
      email: elsewhere.contact.email,
      phone,
      erased: false,
    });
  });
});
