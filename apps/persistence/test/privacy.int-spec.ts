import { TOPICS } from '@lead-delivery/contracts';
import { anEnhancedLead, expectEventually } from '@lead-delivery/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Client } from 'pg';
import { Clock } from '../src/privacy/clock';
import { RetentionJob } from '../src/retention/retention.job';
import { OPERATOR_TOKEN, PersistenceHarness, READ_ONLY_TOKEN, receivedEvent } from './persistence-harness';

const WORKSPACE = join(__dirname, '..', '..', '..');
const SERVICE_ENV = { RETENTION_DAYS: '30', CONTACT_RETENTION_DAYS_BY_ACCOUNT: 'acct-short=30' };

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
    // The three topics are written independently: the delivery can be stored before the enrichment.
    await expectEventually(async () =>
      expect(
        await harness.query(
          `SELECT d.status, l.received_at IS NOT NULL AS received, l.enriched_at IS NOT NULL AS enriched
           FROM crm_deliveries d JOIN leads l USING (account_id, lead_id)
           WHERE d.account_id = $1 AND d.lead_id = $2`,
          [accountId, lead.lead_id],
        ),
      ).toEqual([{ status: 'failed', received: true, enriched: true }]),
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

  /** Posts an erasure and waits until its automated places (PostgreSQL, outbox) are done. */
  const erase = async (request: Record<string, unknown>) => {
    const { status, body, headers } = await harness.post('/erasures', request);
    expect({ status, location: headers.get('location') }).toEqual({
      status: 202,
      location: `/erasures/${body.erasure_id}`,
    });
    let erasure = body;
    await expectEventually(async () => {
      erasure = (await harness.get(`/erasures/${body.erasure_id}`)).body;
      expect(erasure.places.filter((place: { place: string }) => !place.place.startsWith('crm:'))).toEqual([
        expect.objectContaining({ place: 'postgres', state: 'done' }),
        expect.objectContaining({ place: 'outbox', state: 'done' }),
      ]);
    });
    return erasure;
  };

  /** A lead held in the gateway outbox, as the gateway writes it while Kafka is down. */
  const holdInOutbox = (
    table: 'gateway_outbox' | 'gateway_dead_outbox',
    email: string,
    accountId = 'acct-austin',
  ) => {
    const lead = anEnhancedLead();
    lead.contact = { ...lead.contact, email };
    const value = JSON.stringify(receivedEvent(lead));
    const headers = { 'x-account-id': accountId };
    return table === 'gateway_outbox'
      ? harness.query(
          'INSERT INTO gateway_outbox (topic, message_key, value, headers) VALUES ($1, $2, $3, $4)',
          [TOPICS.leadReceived, lead.lead_id, value, headers],
        )
      : harness.query(
          `INSERT INTO gateway_dead_outbox (id, topic, message_key, value, headers, created_at, reason)
           VALUES ((SELECT coalesce(max(id), 0) + 1 FROM gateway_dead_outbox), $1, $2, $3, $4, now(), 'MESSAGE_TOO_LARGE')`,
          [TOPICS.leadReceived, lead.lead_id, value, headers],
        );
  };

  const outboxMentions = async (text: string) =>
    (
      await harness.query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM gateway_outbox WHERE strpos(lower(value), $1) > 0)
              + (SELECT count(*) FROM gateway_dead_outbox WHERE strpos(lower(value), $1) > 0))::int AS n`,
        [text],
      )
    )[0]?.n;

  beforeAll(async () => {
    await harness.start(SERVICE_ENV);
    // The gateway's own migrations: its outbox shares persistence's database.
    execFileSync('npx', ['tsx', 'apps/gateway/src/outbox/migrate.cli.ts'], {
      cwd: WORKSPACE,
      env: { ...process.env, DATABASE_URL: harness.database.url },
      stdio: 'ignore',
    });
  });
  afterAll(() => harness.stop());

  describe('POST /erasures', () => {
    it("removes a person's personal data from every table and the gateway outbox, records it, and keeps it removed on replay", async () => {
      const email = `Erase.Me.${randomUUID()}@Example.com`;
      const first = await storeLead(email.toLowerCase(), { error: `CRM rejected ${email.toLowerCase()}` });
      const second = await storeLead(email.toLowerCase());
      const bystander = await storeLead(`keep.${randomUUID()}@example.com`);
      await holdInOutbox('gateway_outbox', email.toLowerCase());
      await holdInOutbox('gateway_dead_outbox', email.toLowerCase());
      await harness.query(
        `INSERT INTO gateway_dead_outbox (id, topic, message_key, value, headers, created_at, reason)
         VALUES (1000000, $1, 'not-json', $2, '{}', now(), 'INVALID_RECORD')`,
        [TOPICS.leadReceived, `{"contact":{"email":"${email.toLowerCase()}"`],
      );
      await holdInOutbox('gateway_outbox', `keep.${randomUUID()}@example.com`);
      const outboxBefore = (await harness.query('SELECT count(*)::int AS n FROM gateway_outbox'))[0]?.n;
      expect(await outboxMentions(email.toLowerCase())).toBe(3);

      const body = await erase({ email });
      expect(body).toEqual({
        erasure_id: expect.any(String),
        state: 'in_progress',
        account_id: null,
        matched_by: ['email'],
        requested_by: 'privacy-desk',
        requested_at: expect.any(String),
        completed_at: null,
        places: [
          expect.objectContaining({
            place: 'postgres',
            state: 'done',
            details: { leads_erased: 2, people_removed: 1 },
          }),
          expect.objectContaining({
            place: 'outbox',
            state: 'done',
            details: { outbox_rows_removed: 1, dead_outbox_rows_removed: 2 },
          }),
          // No connector runs here: the CRM place, asked for through Kafka, stays pending, and so does the erasure.
          expect.objectContaining({
            place: 'crm:hubspot',
            state: 'pending',
            done_at: null,
            details: expect.objectContaining({
              records: [first.lead.lead_id, second.lead.lead_id]
                .sort()
                .map((leadId) => ({ account_id: 'acct-austin', lead_id: leadId, crm_record_id: null })),
            }),
          }),
        ],
      });
      expect(await outboxMentions(email.toLowerCase())).toBe(0);
      expect((await harness.query('SELECT count(*)::int AS n FROM gateway_outbox'))[0]?.n).toBe(
        outboxBefore - 1,
      );
      // The request keeps the identity only as keyed hashes once PostgreSQL and the outbox are done.
      const [request] = await harness.query('SELECT * FROM erasure_requests WHERE id = $1', [
        body.erasure_id,
      ]);
      expect(request).toMatchObject({
        email: null,
        phone_e164: null,
        phone_digits: null,
        requested_by: 'privacy-desk',
      });
      expect(request?.['email_hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(
        JSON.stringify(
          await harness.query(
            'SELECT * FROM erasure_requests r JOIN erasure_places p ON p.erasure_id = r.id',
          ),
        ),
      ).not.toContain(email.toLowerCase());

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
        expect(timeline.filter((event) => event.type === 'erased')).toEqual([
          { type: 'erased', details: { erasure_id: body.erasure_id, matched_by: ['email'] } },
        ]);
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
      const body = await erase({ phone: `+1 ${phone.replace(/\D/g, '')}` });
      expect(body.matched_by).toEqual(['phone']);
      expect(body.places[0].details).toMatchObject({ leads_erased: 1 });
      expect(await piiOf(lead.lead_id)).toEqual(ERASED);
    });

    it('erases the person from every account they asked, one person per account', async () => {
      const email = `two.accounts.${randomUUID()}@example.com`;
      // A phone of its own: another spec on the same database may have erased (and so suppresses) the default one.
      const phone = `(512) 555-${String(Math.floor(Math.random() * 9_000) + 1_000)}`;
      const agent = await storeLead(email, { accountId: 'acct-agent', phone });
      const brokerage = await storeLead(email, { accountId: 'acct-brokerage', phone });
      expect(
        await harness.query('SELECT account_id FROM people WHERE person_key = $1 ORDER BY 1', [email]),
      ).toEqual([{ account_id: 'acct-agent' }, { account_id: 'acct-brokerage' }]);

      const body = await erase({ email });
      expect(body.places[0].details).toEqual({ leads_erased: 2, people_removed: 2 });
      expect(await piiOf(agent.lead.lead_id)).toEqual(ERASED);
      expect(await piiOf(brokerage.lead.lead_id)).toEqual(ERASED);
    });

    it("erases only one account's data when scoped to it, in PostgreSQL and the outbox", async () => {
      const email = `scoped.${randomUUID()}@example.com`;
      const agent = await storeLead(email, { accountId: 'acct-agent' });
      const brokerage = await storeLead(email, { accountId: 'acct-brokerage' });
      await holdInOutbox('gateway_outbox', email, 'acct-agent');
      await holdInOutbox('gateway_outbox', email, 'acct-brokerage');

      const body = await erase({ email, account_id: 'acct-agent' });
      expect(body).toMatchObject({
        account_id: 'acct-agent',
        places: [
          expect.objectContaining({ details: { leads_erased: 1, people_removed: 1 } }),
          expect.objectContaining({ details: { outbox_rows_removed: 1, dead_outbox_rows_removed: 0 } }),
          expect.objectContaining({ place: 'crm:hubspot', state: 'pending' }),
        ],
      });
      expect(await piiOf(agent.lead.lead_id)).toEqual(ERASED);
      expect(await piiOf(brokerage.lead.lead_id)).toMatchObject({ email, erased: false });
      expect(await harness.query('SELECT account_id FROM people WHERE person_key = $1', [email])).toEqual([
        { account_id: 'acct-brokerage' },
      ]);
      expect(await outboxMentions(email)).toBe(1);
    });

    it('returns the same erasure to a repeated request for the same identity and scope', async () => {
      const email = `twice.${randomUUID()}@example.com`;
      const [first, second] = await Promise.all([
        harness.post('/erasures', { email }),
        harness.post('/erasures', { email: email.toUpperCase() }),
      ]);
      expect(first.status).toBe(202);
      expect(second.body.erasure_id).toBe(first.body.erasure_id);
      const scoped = await harness.post('/erasures', { email, account_id: 'acct-agent' });
      expect(scoped.body.erasure_id).not.toBe(first.body.erasure_id);
      expect(
        await harness.query('SELECT count(*)::int AS n FROM erasure_requests WHERE email_hash = $1', [
          (
            await harness.query('SELECT email_hash FROM erasure_requests WHERE id = $1', [
              first.body.erasure_id,
            ])
          )[0]?.['email_hash'],
        ]),
      ).toEqual([{ n: 2 }]);
    });

    it('completes an erasure interrupted by a restart', async () => {
      const email = `restart.${randomUUID()}@example.com`;
      const lead = anEnhancedLead();
      lead.contact = { ...lead.contact, email };
      await harness.publishReceived(lead);
      await expectEventually(async () =>
        expect(await harness.query('SELECT 1 FROM leads WHERE lead_id = $1', [lead.lead_id])).toHaveLength(1),
      );
      await holdInOutbox('gateway_outbox', email);

      let erasureId = '';
      const stateOf = async () =>
        Object.fromEntries(
          (
            await harness.query('SELECT place, state FROM erasure_places WHERE erasure_id = $1', [erasureId])
          ).map((row) => [row['place'], row['state']]),
        );
      const loggedBefore = harness.logs.lines.length;
      // Earlier erasures' places come first (they fell due earlier): were one left, the step blocked and cut
      // below would be its outbox step, not this erasure's.
      await expectEventually(async () =>
        expect(
          await harness.query(
            `SELECT erasure_id, place FROM erasure_places WHERE state = 'pending' AND place IN ('postgres', 'outbox')`,
          ),
        ).toEqual([]),
      );

      // The outbox step blocks behind a lock; its connection is then cut, as a crash would, and the service stops.
      const blocker: Client = await harness.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE gateway_outbox IN ACCESS EXCLUSIVE MODE');
        const { body } = await harness.post('/erasures', { email });
        erasureId = body.erasure_id;
        let stepBackend = 0;
        await expectEventually(async () => {
          expect(await stateOf()).toEqual({ postgres: 'done', outbox: 'pending' });
          const waiting = await harness.query<{ pid: number }>(
            `SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a USING (pid)
             WHERE a.datname = current_database() AND a.application_name = 'persistence'
               AND l.relation = 'gateway_outbox'::regclass AND NOT l.granted`,
          );
          expect(waiting).toEqual([{ pid: expect.any(Number) }]);
          stepBackend = waiting[0]?.pid ?? 0;
        });
        // The blocker queues for the outbox place's row before the step's backend is cut, so the row passes
        // to it, not to the worker's next pass: the service cannot take the place again before it stops.
        const [{ pid: blockerBackend }] = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows;
        const holdPlace = blocker.query(
          `SELECT 1 FROM erasure_places WHERE erasure_id = $1 AND place = 'outbox' FOR UPDATE`,
          [erasureId],
        );
        await expectEventually(async () =>
          expect(
            await harness.query('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [
              blockerBackend,
            ]),
          ).toEqual([{ wait_event_type: 'Lock' }]),
        );
        expect(await harness.query('SELECT pg_terminate_backend($1) AS terminated', [stepBackend])).toEqual([
          { terminated: true },
        ]);
        await holdPlace;
        await harness.app.close();
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
      }
      // The cut connection failed the worker's pass, which the service logged and survived.
      expect(harness.logs.lines.slice(loggedBefore).join('')).toContain(
        'erasure worker pass failed; retried next interval',
      );
      expect(await stateOf()).toEqual({ postgres: 'done', outbox: 'pending' });
      expect(await outboxMentions(email)).toBe(1);

      await harness.startApp(SERVICE_ENV);
      await expectEventually(async () => {
        const { body: erasure } = await harness.get(`/erasures/${erasureId}`);
        expect(erasure).toMatchObject({ state: 'completed', completed_at: expect.any(String) });
      });
      expect(await outboxMentions(email)).toBe(0);
      expect(await piiOf(lead.lead_id)).toEqual(ERASED);
    });

    it('answers 404 to an unknown erasure, and lets read-only tokens see an erasure but not ask for one', async () => {
      expect((await harness.get(`/erasures/${randomUUID()}`)).status).toBe(404);
      expect((await harness.get('/erasures/not-a-uuid')).status).toBe(400);
      expect((await harness.post('/erasures', { email: 'a@example.com' }, READ_ONLY_TOKEN)).status).toBe(403);
      const { body } = await harness.post('/erasures', { email: `seen.${randomUUID()}@example.com` });
      expect((await harness.get(`/erasures/${body.erasure_id}`, READ_ONLY_TOKEN)).status).toBe(200);
    });

    it('answers 400 problem details for a request without a valid email or phone', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, '/email'],
        [{ email: 'not-an-email' }, '/email'],
        [{ phone: '12' }, '/phone'],
        [{ phone: 'call me maybe' }, '/phone'],
        [{ email: 'a@example.com', extra: true }, '/extra'],
        [{ email: 'a@example.com', account_id: 'Not An Account' }, '/account_id'],
      ];
      for (const [request, pointer] of cases) {
        const { status, body, headers } = await harness.post('/erasures', request);
        expect({ request, status }).toEqual({ request, status: 400 });
        expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(body.errors).toEqual([{ pointer, detail: expect.any(String) }]);
      }
    });

    it('answers a body that is not JSON with a 400 problem, not the HTTP framework page', async () => {
      const response = await fetch(`${harness.readApiUrl}/erasures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}` },
        body: '{"email": "a@example.com"',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toEqual({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'the request body is not valid JSON',
        instance: '/erasures',
      });
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

    it("erases a lead's personal data once its account's contact retention has passed, keeping its facts", async () => {
      const clock = harness.app.get(Clock);
      const short = await storeLead(`short.${randomUUID()}@example.com`, { accountId: 'acct-short' });
      const usual = await storeLead(`usual.${randomUUID()}@example.com`);
      const now = Date.now();
      const facts = (leadId: string) =>
        harness.query(
          `SELECT l.score, l.tier, l.destinations, l.lead_timestamp, d.status, d.attempts
           FROM leads l JOIN crm_deliveries d USING (account_id, lead_id) WHERE lead_id = $1`,
          [leadId],
        );
      const before = await facts(short.lead.lead_id);
      const job = harness.app.get(RetentionJob);

      jest.spyOn(clock, 'now').mockReturnValue(new Date(now + 29 * DAY));
      expect(await job.eraseExpiredContacts()).toBe(0);

      // acct-short keeps contact data 30 days; the other accounts CONTACT_RETENTION_DAYS (730).
      jest.spyOn(clock, 'now').mockReturnValue(new Date(now + 31 * DAY));
      expect(await job.eraseExpiredContacts()).toBe(1);
      expect(await piiOf(short.lead.lead_id)).toEqual(ERASED);
      expect(await facts(short.lead.lead_id)).toEqual(before);
      expect(before[0]).toMatchObject({
        score: 71,
        tier: 'warm',
        destinations: ['hubspot'],
        status: 'failed',
      });
      expect(
        await harness.query('SELECT 1 FROM people WHERE person_key = $1', [short.lead.contact.email]),
      ).toEqual([]);
      expect(await piiOf(usual.lead.lead_id)).toMatchObject({ erased: false });
      const [event] = await harness.query(
        "SELECT event_source, details FROM lead_events WHERE lead_id = $1 AND type = 'erased'",
        [short.lead.lead_id],
      );
      expect(event).toEqual({
        event_source: '/persistence/retention',
        details: { reason: 'contact_retention' },
      });

      jest.spyOn(clock, 'now').mockReturnValue(new Date(now + 731 * DAY));
      expect(await job.eraseExpiredContacts()).toBeGreaterThanOrEqual(1);
      expect(await piiOf(usual.lead.lead_id)).toEqual(ERASED);
      jest.restoreAllMocks();
    });
  });
});
