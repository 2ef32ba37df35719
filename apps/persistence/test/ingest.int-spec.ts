import { CONSUMER_GROUPS, HEADERS, TOPICS, dlqTopicOf } from '@lead-delivery/contracts';
import {
  TopicRecorder,
  aStandardLead,
  anEnhancedLead,
  expectEventually,
  uniqueLeadId,
} from '@lead-delivery/testing';
import { METRICS_REGISTRY } from '@lead-delivery/observability';
import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { PersistenceHarness, receivedEvent } from './persistence-harness';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('persistence: Kafka lead events into PostgreSQL', () => {
  const harness = new PersistenceHarness();
  const emails: string[] = [];

  const lead = (overrides: Parameters<typeof anEnhancedLead>[0] = {}) => {
    const created = anEnhancedLead({ timestamp: minutesAgo(10).toISOString(), ...overrides });
    emails.push(created.contact.email);
    return created;
  };

  const leadRow = async (leadId: string) =>
    (await harness.query('SELECT * FROM leads WHERE lead_id = $1', [leadId]))[0];

  /** Everything stored about a lead, for before/after comparisons. */
  const snapshot = async (leadId: string) => ({
    lead: await leadRow(leadId),
    timeline: await harness.query('SELECT * FROM lead_events WHERE lead_id = $1 ORDER BY event_id', [leadId]),
    deliveries: await harness.query('SELECT * FROM crm_deliveries WHERE lead_id = $1 ORDER BY destination', [
      leadId,
    ]),
    people: await harness.query(
      'SELECT p.* FROM people p JOIN leads l USING (account_id, person_key) WHERE l.lead_id = $1',
      [leadId],
    ),
  });

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('stores a standard lead, which has no enhanced field, with its raw payload, warnings and timeline', async () => {
    const standard = aStandardLead({ timestamp: minutesAgo(5).toISOString() });
    emails.push(standard.contact.email);
    const warnings = [
      { pointer: '/property/baths', detail: 'must be an integer', action: 'dropped' as const },
    ];
    const raw = { ...standard, property: { ...standard.property, baths: 2.5 } };
    await harness.publishReceived(standard, { leadKind: 'standard' }, { warnings, raw });

    const row = await expectEventually(async () => {
      const found = await leadRow(standard.lead_id);
      expect(found).toBeDefined();
      return found;
    });
    expect(row).toMatchObject({
      account_id: 'acct-austin',
      kind: 'standard',
      role: null,
      email: standard.contact.email.toLowerCase(),
      phone: '(512) 555-0142',
      city: 'Austin',
      list_price: 489_000,
      listing_url: null,
      mls_id: null,
      listing_agent: null,
      pre_approved: null,
      is_likely_to_transact: null,
      probability_to_transact: null,
      score: null,
      tier: null,
      person_key: null,
      warnings,
      raw,
      enriched_at: null,
    });
    expect(row.lead_timestamp.toISOString()).toBe(standard.timestamp);
    expect(row.received_at).toBeInstanceOf(Date);
    const timeline = await harness.query('SELECT type, details FROM lead_events WHERE lead_id = $1', [
      standard.lead_id,
    ]);
    expect(timeline).toEqual([
      { type: 'received', details: { kind: 'standard', account_id: 'acct-austin', warnings: 1 } },
    ]);
  });

  it('merges received, enriched and delivered into one lead, linked to its person, with speed-to-lead', async () => {
    const enhanced = lead();
    const deliveredAt = new Date(Date.parse(enhanced.timestamp) + 4_321);
    await harness.publishReceived(enhanced, { leadKind: 'enhanced' });
    await harness.publishEnriched(enhanced, {
      tier: 'hot',
      score: 88,
      destinations: ['hubspot', 'salesforce'],
    });
    await harness.publishDelivery(enhanced, {
      destination: 'hubspot',
      outcome: 'delivered',
      deliveredAt,
      attempts: 2,
    });

    await expectEventually(async () =>
      expect(
        await harness.query('SELECT status FROM crm_deliveries WHERE lead_id = $1 ORDER BY destination', [
          enhanced.lead_id,
        ]),
      ).toEqual([{ status: 'delivered' }, { status: 'pending' }]),
    );
    const { lead: row, timeline, deliveries, people } = await snapshot(enhanced.lead_id);
    expect(row).toMatchObject({
      kind: 'enhanced',
      role: 'buyer',
      score: 88,
      tier: 'hot',
      model_version: 'score-v1',
      destinations: ['hubspot', 'salesforce'],
      person_key: enhanced.contact.email.toLowerCase(),
      full_name: 'Maria Gonzalez',
      phone_e164: '+15125550142',
      mls_id: 'ACT-1234567',
      sqft: 1840,
      listing_agent: enhanced.listing_agent,
      pre_approved: true,
      budget_max: 520_000,
      probability_to_transact: 0.82,
    });
    expect(row.raw).toEqual(JSON.parse(JSON.stringify(enhanced)));
    expect(timeline.map((event) => event.type).sort()).toEqual(['delivered', 'enriched', 'received']);
    expect(deliveries[0]).toMatchObject({
      destination: 'hubspot',
      status: 'delivered',
      attempts: 2,
      crm_record_id: `crm-${enhanced.lead_id}`,
      speed_to_lead_ms: '4321',
    });
    expect(deliveries[0].delivered_at.toISOString()).toBe(deliveredAt.toISOString());
    expect(people).toEqual([
      expect.objectContaining({
        person_key: enhanced.contact.email.toLowerCase(),
        email: enhanced.contact.email.toLowerCase(),
        full_name: 'Maria Gonzalez',
      }),
    ]);
  });

  it('links every lead of one person to the same people row', async () => {
    const personKey = `repeat.${randomUUID()}@example.com`;
    const first = lead({ timestamp: minutesAgo(60).toISOString() });
    const second = lead({ timestamp: minutesAgo(30).toISOString() });
    await harness.publishEnriched(first, { personKey });
    await harness.publishEnriched(second, { personKey });

    await expectEventually(async () =>
      expect(
        await harness.query('SELECT lead_id FROM leads WHERE person_key = $1 ORDER BY lead_timestamp', [
          personKey,
        ]),
      ).toEqual([{ lead_id: first.lead_id }, { lead_id: second.lead_id }]),
    );
    const [person] = await harness.query('SELECT * FROM people WHERE person_key = $1', [personKey]);
    expect(person.first_seen_at.toISOString()).toBe(first.timestamp);
    expect(person.last_seen_at.toISOString()).toBe(second.timestamp);
  });

  it('keeps the same lead sent to two accounts as two leads, each with its person, timeline and deliveries', async () => {
    const shared = lead();
    const accounts = ['acct-agent', 'acct-brokerage'];
    const deliveredAt = [minutesAgo(2), minutesAgo(1)];
    for (const [index, accountId] of accounts.entries()) {
      await harness.publishReceived(shared, { accountId });
      await harness.publishEnriched(shared, { accountId, tier: index === 0 ? 'hot' : 'cold' });
      await harness.publishDelivery(shared, {
        accountId,
        destination: 'hubspot',
        outcome: 'delivered',
        deliveredAt: deliveredAt[index],
      });
    }
    await harness.consumedEverything();

    expect(
      await harness.query('SELECT account_id, tier, person_key FROM leads WHERE lead_id = $1 ORDER BY 1', [
        shared.lead_id,
      ]),
    ).toEqual(
      accounts.map((accountId, index) => ({
        account_id: accountId,
        tier: index === 0 ? 'hot' : 'cold',
        person_key: shared.contact.email.toLowerCase(),
      })),
    );
    expect(
      await harness.query('SELECT account_id, person_key FROM people WHERE person_key = $1 ORDER BY 1', [
        shared.contact.email.toLowerCase(),
      ]),
    ).toEqual(
      accounts.map((accountId) => ({
        account_id: accountId,
        person_key: shared.contact.email.toLowerCase(),
      })),
    );
    expect(
      await harness.query(
        'SELECT account_id, status, delivered_at FROM crm_deliveries WHERE lead_id = $1 ORDER BY 1',
        [shared.lead_id],
      ),
    ).toEqual(
      accounts.map((accountId, index) => ({
        account_id: accountId,
        status: 'delivered',
        delivered_at: deliveredAt[index],
      })),
    );
    expect(
      await harness.query(
        'SELECT account_id, count(*)::int AS events FROM lead_events WHERE lead_id = $1 GROUP BY 1 ORDER BY 1',
        [shared.lead_id],
      ),
    ).toEqual(accounts.map((accountId) => ({ account_id: accountId, events: 3 })));

    const listed = await harness.get(`/leads?since=${encodeURIComponent(shared.timestamp)}&limit=200`);
    expect(
      listed.body.items
        .filter((item: { lead_id: string }) => item.lead_id === shared.lead_id)
        .map((item: { account_id: string; tier: string }) => [item.account_id, item.tier]),
    ).toEqual([
      ['acct-brokerage', 'cold'],
      ['acct-agent', 'hot'],
    ]);
    for (const accountId of accounts) {
      const { body } = await harness.get(
        `/accounts/${accountId}/people/${encodeURIComponent(shared.contact.email.toLowerCase())}`,
      );
      expect(body).toMatchObject({
        account_id: accountId,
        leads: [{ lead_id: shared.lead_id, account_id: accountId }],
      });
    }
  });

  it('stores duplicate and replayed events once, and a replay changes nothing at all', async () => {
    const replayed = lead();
    const envelopes = {
      received: { id: randomUUID(), time: minutesAgo(9), leadKind: 'enhanced' as const },
      enriched: { id: randomUUID(), time: minutesAgo(8) },
      delivery: { id: randomUUID(), time: minutesAgo(7) },
    };
    const delivery = { destination: 'hubspot', outcome: 'delivered' as const, deliveredAt: minutesAgo(7) };
    const publishAll = () =>
      Promise.all([
        harness.publishReceived(replayed, envelopes.received),
        harness.publishEnriched(replayed, {}, envelopes.enriched),
        harness.publishDelivery(replayed, delivery, envelopes.delivery),
      ]);

    await publishAll();
    await publishAll(); // duplicates, most likely in the same batches
    await harness.consumedEverything();
    const before = await snapshot(replayed.lead_id);
    expect(before.timeline).toHaveLength(3);
    expect(before.deliveries).toHaveLength(1);

    await publishAll(); // a replay, e.g. after a consumer-group reset
    await harness.consumedEverything();
    expect(await snapshot(replayed.lead_id)).toEqual(before);

    const metrics = await harness.app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(metrics).toMatch(
      /persistence_events_total\{[^}]*topic="leads.received.v1"[^}]*result="duplicate"[^}]*\} [1-9]/,
    );
  });

  it('keeps and merges events that arrive before the lead, and never lets an older event overwrite a newer one', async () => {
    const late = lead();
    const deliveredAt = new Date(Date.parse(late.timestamp) + 90_000);
    await harness.publishDelivery(late, { destination: 'salesforce', outcome: 'delivered', deliveredAt });
    await expectEventually(async () =>
      expect(await leadRow(late.lead_id)).toMatchObject({
        account_id: 'acct-austin',
        lead_event_at: null,
        email: null,
      }),
    );

    await harness.publishEnriched(
      late,
      { tier: 'hot', destinations: ['salesforce'] },
      { time: minutesAgo(2) },
    );
    await expectEventually(async () => expect(await leadRow(late.lead_id)).toMatchObject({ tier: 'hot' }));
    // The received event happened before the enrichment: its lead fields are older than those already stored.
    const renamed = { ...late, contact: { ...late.contact, first_name: 'OLDER' } };
    await harness.publishReceived(renamed, { time: minutesAgo(3) });
    // An earlier failed attempt, arriving after the successful delivery.
    await harness.publishDelivery(late, {
      destination: 'salesforce',
      outcome: 'failed',
      occurredAt: new Date(deliveredAt.getTime() - 30_000),
      error: 'HTTP 503',
    });
    await harness.consumedEverything();

    const { lead: row, deliveries, timeline } = await snapshot(late.lead_id);
    expect(row).toMatchObject({ first_name: 'Maria', tier: 'hot', email: late.contact.email.toLowerCase() });
    expect(row.raw.contact.first_name).toBe('OLDER'); // raw and warnings only come with the received event
    expect(deliveries).toEqual([
      expect.objectContaining({
        destination: 'salesforce',
        status: 'delivered',
        last_error: null,
        speed_to_lead_ms: '90000',
      }),
    ]);
    expect(timeline.map((event) => event.type).sort()).toEqual([
      'delivered',
      'delivery_failed',
      'enriched',
      'received',
    ]);
  });

  it('stores huge and unicode payloads, replacing only what PostgreSQL cannot hold', async () => {
    const unicode = 'Olá 👋🏽 Zoë — 東京の家 — مرحبا — e\u0301 — ';
    const huge = lead({
      contact: {
        first_name: 'Zoë 👩🏽‍💻',
        last_name: 'Ñúñez\u0000',
        // The contract's email format (ajv-formats) takes ASCII domains only: an IDN one is dead-lettered.
        email: `zoe.${uniqueLeadId()}@example.jp`,
        phone: '+1 512 555 0142',
      },
      message: `${unicode}${'x'.repeat(300_000)} lone \ud800 surrogate`,
    });
    emails.push(huge.contact.email);
    const raw = { ...JSON.parse(JSON.stringify(huge)), 'ключ\u0000': ['🏠', { 深い: { more: 'ü\udfff' } }] };
    await harness.publishReceived(huge, {}, { raw });

    const row = await expectEventually(async () => {
      const found = await leadRow(huge.lead_id);
      expect(found).toBeDefined();
      return found;
    });
    expect(row.first_name).toBe('Zoë 👩🏽‍💻');
    expect(row.last_name).toBe('Ñúñez');
    expect(row.message).toBe(`${unicode}${'x'.repeat(300_000)} lone \ufffd surrogate`);
    expect(row.raw['ключ']).toEqual(['🏠', { 深い: { more: 'ü\ufffd' } }]);
    expect(row.raw.message).toHaveLength(row.message.length);
  });

  it('stores text as sent when it holds what array literals quote: quotes, backslashes, commas, braces, NULL', async () => {
    const literal = 'say "hi", {then} C:\\leads\\ NULL';
    const base = lead();
    const odd = { ...base, message: literal, contact: { ...base.contact, first_name: 'NULL' } };
    const destinations = [literal, 'NULL'];
    await harness.publishReceived(odd);
    await harness.publishEnriched(odd, { destinations });

    const row = await expectEventually(async () => {
      const found = await leadRow(odd.lead_id);
      expect(found?.enriched_at).toBeInstanceOf(Date);
      return found;
    });
    expect(row).toMatchObject({ message: literal, first_name: 'NULL', destinations });
    expect(row.raw.message).toBe(literal);
    const deliveries = await harness.query('SELECT destination FROM crm_deliveries WHERE lead_id = $1', [
      odd.lead_id,
    ]);
    expect(deliveries.map(({ destination }) => destination).sort()).toEqual([...destinations].sort());
    const [enriched] = await harness.query(
      `SELECT details FROM lead_events WHERE lead_id = $1 AND type = 'enriched'`,
      [odd.lead_id],
    );
    expect(enriched.details.destinations).toEqual(destinations);
  });

  it('dead-letters records that break the contract and goes on with the rest', async () => {
    const dlq = dlqTopicOf(TOPICS.leadReceived, CONSUMER_GROUPS.persistence);
    const recorder = await new TopicRecorder(harness.kafka).start(dlq);
    const good = lead();
    const headers = (id: string) => ({
      [HEADERS.ceId]: id,
      [HEADERS.ceType]: 'lead-delivery.lead.received.v1',
      [HEADERS.ceSource]: '/persistence-test',
      [HEADERS.ceTime]: new Date().toISOString(),
      [HEADERS.ceSubject]: id,
      [HEADERS.accountId]: 'acct-austin',
    });
    const run = randomUUID();
    const bad = [
      { key: `bad-json-${run}`, value: '{"lead_id": ', headers: headers(randomUUID()) },
      {
        key: `no-lead-id-${run}`,
        value: JSON.stringify({ ...receivedEvent(good), lead_id: ' ' }),
        headers: headers(randomUUID()),
      },
      { key: `no-headers-${run}`, value: JSON.stringify(receivedEvent(good)), headers: {} },
    ];
    for (const record of bad) await harness.publisher.send({ topic: TOPICS.leadReceived, ...record });
    await harness.publishReceived(good);

    await expectEventually(async () => expect(await leadRow(good.lead_id)).toBeDefined());
    const reasonOf = (kind: string) =>
      recorder.withKey(`${kind}-${run}`).map((record) => record.headers[HEADERS.errorReason]);
    await expectEventually(() => {
      expect(reasonOf('bad-json')).toEqual([expect.stringMatching(/not JSON/)]);
      expect(reasonOf('no-lead-id')).toEqual([expect.stringMatching(/lead_id/)]);
      expect(reasonOf('no-headers')).toEqual([expect.stringMatching(/missing header ce_id/)]);
    });
    await recorder.stop();
  });

  it('dead-letters a record PostgreSQL refuses and stores the rest of its batch', async () => {
    const dlq = dlqTopicOf(TOPICS.leadReceived, CONSUMER_GROUPS.persistence);
    const recorder = await new TopicRecorder(harness.kafka).start(dlq);
    const fine = [lead(), lead(), lead()];
    // RFC 3339 and JavaScript accept year 0; PostgreSQL's timestamptz has no year 0.
    const ancient = lead({ timestamp: '0000-01-01T00:00:00.000Z' });
    const producer = harness.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.leadReceived,
      messages: [fine[0], ancient, fine[1], fine[2]].map((item) => ({
        partition: 0,
        key: item?.lead_id,
        value: JSON.stringify(receivedEvent(item as never)),
        headers: {
          [HEADERS.ceId]: randomUUID(),
          [HEADERS.ceType]: 'lead-delivery.lead.received.v1',
          [HEADERS.ceSource]: '/persistence-test',
          [HEADERS.ceTime]: new Date().toISOString(),
          [HEADERS.ceSubject]: item?.lead_id ?? '',
          [HEADERS.accountId]: 'acct-austin',
        },
      })),
    });
    await producer.disconnect();

    await expectEventually(async () =>
      expect(
        await harness.query('SELECT count(*)::int AS stored FROM leads WHERE lead_id = ANY($1)', [
          fine.map((item) => item.lead_id),
        ]),
      ).toEqual([{ stored: 3 }]),
    );
    await expectEventually(() => expect(recorder.withKey(ancient.lead_id)).toHaveLength(1));
    expect(recorder.withKey(ancient.lead_id)[0]?.headers[HEADERS.errorReason]).toMatch(/out of range/);
    expect(await leadRow(ancient.lead_id)).toBeUndefined();
    await recorder.stop();
  });

  it('never logs personal data: lead emails appear in no log line', () => {
    expect(harness.logs.lines.length).toBeGreaterThan(0);
    for (const email of emails) expect(harness.logs.text).not.toContain(email);
  });
});
