import { CONSUMER_GROUPS, HEADERS, LEAD_ENRICHED_V1, TOPICS } from '@lead-delivery/contracts';
import {
  aStandardLead,
  anEnhancedLead,
  committedOffsets,
  expectEventually,
  uniqueLeadId,
} from '@lead-delivery/testing';
import { randomBytes } from 'node:crypto';
import { enrichedEventId } from '../src/enrichment/enriched-event-id.util';
import { EnrichmentHarness } from './enrichment-harness';

const traceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1_000);

/** The value of the Prometheus sample `name` whose labels include `labels` (0 when there is none). */
function metricValue(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const sample = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([label, value]) => sample[label] === value)) return Number(match[3]);
  }
  return 0;
}

describe('enrichment: leads.received.v1 → leads.enriched.v1 on a real broker', () => {
  const harness = new EnrichmentHarness();

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('publishes each lead enriched, keyed by lead_id, with CloudEvents headers following the input', async () => {
    const lead = anEnhancedLead({ timestamp: secondsAgo(30).toISOString() });
    const receivedAt = secondsAgo(1);
    const sent = await harness.sendLead(lead, {
      accountId: 'acct-austin',
      leadKind: 'enhanced',
      traceparent: traceparent(),
      time: receivedAt,
    });

    const [output] = await harness.enrichedOf(lead.lead_id);
    expect(output?.key).toBe(lead.lead_id);
    expect(output?.headers).toMatchObject({
      [HEADERS.ceSpecVersion]: '1.0',
      [HEADERS.ceId]: enrichedEventId(sent.headers[HEADERS.ceId] as string, output?.value ?? ''),
      [HEADERS.ceType]: LEAD_ENRICHED_V1.type,
      [HEADERS.ceSource]: '/enrichment',
      [HEADERS.ceSubject]: lead.lead_id,
      [HEADERS.contentType]: 'application/json',
      [HEADERS.accountId]: 'acct-austin',
      [HEADERS.leadKind]: 'enhanced',
    });
    expect(Date.parse(output?.headers[HEADERS.ceTime] ?? '')).toBeGreaterThanOrEqual(receivedAt.getTime());
    const inputTrace = (sent.headers[HEADERS.traceparent] as string).split('-')[1];
    expect(output?.headers[HEADERS.traceparent]?.split('-')[1]).toBe(inputTrace);

    expect(output?.event.lead).toEqual(lead);
    expect(output?.event.kind).toBe('enhanced');
    expect(output?.event.enrichment).toMatchObject({
      score: 100,
      tier: 'hot',
      model_version: 'lead-score-v1',
      person_key: lead.contact.email.toLowerCase(),
      normalized: { phone_e164: '+15125550142', state: 'TX', zip_code: '78704' },
    });
    expect(output?.event.routing).toEqual({
      account_id: 'acct-austin',
      destinations: ['hubspot', 'salesforce'],
    });

    // The input offset is committed once the output is acknowledged.
    const input = await harness.inputOf(lead.lead_id);
    await expectEventually(async () => {
      const committed = await committedOffsets(
        harness.kafka,
        CONSUMER_GROUPS.enrichment,
        TOPICS.leadReceived,
      );
      expect(committed[input.partition]).toBeGreaterThan(Number(input.offset));
    });
  });

  it('scores a lead whose probability_to_transact intake set aside, noting it as a 0-point reason', async () => {
    const lead = anEnhancedLead({ timestamp: secondsAgo(30).toISOString() });
    delete lead.probability_to_transact;
    await harness.sendLead(
      lead,
      { accountId: 'acct-austin', leadKind: 'enhanced' },
      {
        warnings: [
          { pointer: '/probability_to_transact', action: 'dropped', detail: 'must not be greater than 1' },
        ],
        raw: { ...lead, probability_to_transact: 1.2 },
      },
    );
    const [output] = await harness.enrichedOf(lead.lead_id);
    expect(output?.event.enrichment.reasons).toContainEqual({
      factor: 'probability_to_transact',
      points: 0,
      label: 'probability to transact unusable (set aside at intake) +0',
    });
  });

  it('routes by the rules of each account, and publishes a lead routed nowhere with an empty list', async () => {
    const standard = aStandardLead({ lead_id: uniqueLeadId('standard') });
    const seller = anEnhancedLead({ role: 'seller', lead_id: uniqueLeadId('seller') });
    const sellerElsewhere = anEnhancedLead({
      role: 'seller',
      lead_id: uniqueLeadId('seller-ok'),
      property: { ...anEnhancedLead().property, state: 'Oklahoma' },
    });
    const unknownAccount = anEnhancedLead({ lead_id: uniqueLeadId('unknown') });
    await harness.sendLead(standard, { accountId: 'acct-austin', leadKind: 'standard' });
    await harness.sendLead(seller, { accountId: 'acct-listings', leadKind: 'enhanced' });
    await harness.sendLead(sellerElsewhere, { accountId: 'acct-listings', leadKind: 'enhanced' });
    await harness.sendLead(unknownAccount, { accountId: 'acct-nobody-configured', leadKind: 'enhanced' });

    const routing = async (leadId: string) => (await harness.enrichedOf(leadId))[0]?.event.routing;
    expect(await routing(standard.lead_id)).toEqual({ account_id: 'acct-austin', destinations: ['hubspot'] });
    expect(await routing(seller.lead_id)).toEqual({
      account_id: 'acct-listings',
      destinations: ['salesforce'],
    });
    expect(await routing(sellerElsewhere.lead_id)).toEqual({ account_id: 'acct-listings', destinations: [] });
    expect(await routing(unknownAccount.lead_id)).toEqual({
      account_id: 'acct-nobody-configured',
      destinations: [],
    });
    const [standardOutput] = await harness.enrichedOf(standard.lead_id);
    expect(standardOutput?.event.kind).toBe('standard');
    expect(standardOutput?.headers[HEADERS.leadKind]).toBe('standard');
  });

  it('gives a redelivered input the same output: same value, same event id', async () => {
    const lead = anEnhancedLead({ timestamp: '2026-01-05T10:00:00.000Z' });
    const sent = await harness.sendLead(lead, { accountId: 'acct-austin', leadKind: 'enhanced' });
    await harness.sendRecord(lead.lead_id, sent.value, sent.headers);

    const [first, second] = await harness.enrichedOf(lead.lead_id, 2);
    expect(second?.value).toBe(first?.value);
    expect(second?.headers[HEADERS.ceId]).toBe(first?.headers[HEADERS.ceId]);
    expect(first?.event.enrichment.reasons).toContainEqual(
      expect.objectContaining({ factor: 'lead_age', points: -20 }),
    );
  });

  it('enriches again, identically, what a restarted consumer reads again after its offsets were reset', async () => {
    const lead = anEnhancedLead({ timestamp: secondsAgo(60).toISOString() });
    await harness.sendLead(lead, { accountId: 'acct-austin', leadKind: 'enhanced' });
    const [first] = await harness.enrichedOf(lead.lead_id);
    const input = await harness.inputOf(lead.lead_id);

    await harness.stopApp();
    const admin = harness.kafka.admin();
    await admin.connect();
    await admin.setOffsets({
      groupId: CONSUMER_GROUPS.enrichment,
      topic: TOPICS.leadReceived,
      partitions: [{ partition: input.partition, offset: input.offset }],
    });
    await admin.disconnect();
    await harness.startApp();

    const [, again] = await harness.enrichedOf(lead.lead_id, 2);
    expect(again?.value).toBe(first?.value);
    expect(again?.headers[HEADERS.ceId]).toBe(first?.headers[HEADERS.ceId]);
  });

  it('dead-letters a record that breaks the contract and enriches the others of its partition', async () => {
    const leadId = uniqueLeadId('poison');
    const good = anEnhancedLead({ lead_id: leadId });
    const sent = await harness.sendLead(good, { accountId: 'acct-austin', leadKind: 'enhanced' });
    await harness.sendRecord(leadId, '{"lead_id": "truncated', sent.headers);
    const after = anEnhancedLead({ lead_id: leadId, message: 'second inquiry, same lead id' });
    await harness.sendLead(after, { accountId: 'acct-austin', leadKind: 'enhanced' });

    const outputs = await harness.enrichedOf(leadId, 2);
    expect(outputs.map((output) => output.event.lead.message)).toEqual([good.message, after.message]);
    const [dead] = await expectEventually(() => {
      const records = harness.deadLetters.withKey(leadId);
      expect(records).toHaveLength(1);
      return records;
    });
    expect(dead?.value).toBe('{"lead_id": "truncated');
    expect(dead?.headers).toMatchObject({
      [HEADERS.errorKind]: 'invalid_record',
      [HEADERS.errorReason]: 'value is not JSON',
      [HEADERS.consumerGroup]: CONSUMER_GROUPS.enrichment,
    });
  });

  it('reports health and metrics: scores, tiers, routes and latency', async () => {
    expect((await fetch(harness.url('/health/live'))).status).toBe(200);
    expect((await fetch(harness.url('/health/ready'))).status).toBe(200);
    const lead = anEnhancedLead();
    const routedNowhere = aStandardLead();
    await harness.sendLead(lead, { accountId: 'acct-austin', leadKind: 'enhanced' });
    await harness.sendLead(routedNowhere, { accountId: 'acct-nobody-configured', leadKind: 'standard' });
    await harness.enrichedOf(lead.lead_id);
    await harness.enrichedOf(routedNowhere.lead_id);

    const metrics = await expectEventually(async () => {
      const text = await (await fetch(harness.url('/metrics'))).text();
      expect(
        metricValue(text, 'lead_enrichment_tier_total', { tier: 'hot', kind: 'enhanced' }),
      ).toBeGreaterThan(0);
      return text;
    });
    expect(metricValue(metrics, 'lead_enrichment_score_count', { kind: 'enhanced' })).toBeGreaterThan(0);
    expect(metricValue(metrics, 'lead_enrichment_score_bucket', { kind: 'enhanced', le: '90' })).toBeLessThan(
      metricValue(metrics, 'lead_enrichment_score_bucket', { kind: 'enhanced', le: '100' }),
    );
    expect(
      metricValue(metrics, 'lead_enrichment_routes_total', { destination: 'salesforce' }),
    ).toBeGreaterThan(0);
    expect(metricValue(metrics, 'lead_enrichment_routes_total', { destination: 'none' })).toBeGreaterThan(0);
    expect(metricValue(metrics, 'lead_enrichment_processing_seconds_count', {})).toBeGreaterThan(0);
    expect(metricValue(metrics, 'lead_enrichment_since_receipt_seconds_count', {})).toBeGreaterThan(0);
    expect(
      metricValue(metrics, 'lead_consumer_records_total', {
        group: 'enrichment',
        topic: TOPICS.leadReceived,
      }),
    ).toBeGreaterThan(0);
  });

  it('finishes in-flight work on shutdown: every lead taken in is published and committed', async () => {
    const leads = Array.from({ length: 200 }, () => aStandardLead());
    await Promise.all(
      leads.map((lead) => harness.sendLead(lead, { accountId: 'acct-austin', leadKind: 'standard' })),
    );
    await expectEventually(() => expect(harness.enriched.withKey(leads[0]?.lead_id ?? '')).toHaveLength(1));
    await harness.stopApp();

    const inputs = await Promise.all(leads.map((lead) => harness.inputOf(lead.lead_id)));
    const committed = await committedOffsets(harness.kafka, CONSUMER_GROUPS.enrichment, TOPICS.leadReceived);
    const committedInputs = inputs.filter(
      (input) => Number(input.offset) < (committed[input.partition] ?? 0),
    );
    expect(committedInputs.length).toBeGreaterThan(0);
    await expectEventually(() => {
      for (const input of committedInputs) expect(harness.enriched.withKey(input.key ?? '')).toHaveLength(1);
    });
    await harness.startApp();
    await expectEventually(() => {
      for (const lead of leads) {
        expect(harness.enriched.withKey(lead.lead_id).length).toBeGreaterThanOrEqual(1);
      }
    });
  });

  it("drains a backlog whose outputs per partition exceed the broker's largest record batch", async () => {
    await harness.stopApp();
    const leads = Array.from({ length: 3_000 }, () => anEnhancedLead());
    await Promise.all(
      leads.map((lead) => harness.sendLead(lead, { accountId: 'acct-austin', leadKind: 'enhanced' })),
    );
    await harness.startApp();

    await expectEventually(
      () => {
        const enriched = new Set(harness.enriched.records.map((record) => record.key));
        expect(leads.filter((lead) => !enriched.has(lead.lead_id))).toEqual([]);
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  });
});
