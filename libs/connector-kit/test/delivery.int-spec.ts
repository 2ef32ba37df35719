import { LEAD_ENRICHED_V1 } from '@lead-delivery/contracts';
import { committedOffsets, expectEventually } from '@lead-delivery/testing';
import { ConnectorHarness, anEnrichedLead } from './support/connector-harness';

describe('connector-kit delivery against a real Kafka broker (fake CRM)', () => {
  let harness: ConnectorHarness;

  beforeEach(async () => {
    harness = await new ConnectorHarness().setUp();
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  it('delivers a backlog in full batches across partitions, skips leads routed elsewhere, and reports every outcome', async () => {
    const ours = Array.from({ length: 140 }, () =>
      anEnrichedLead('acct-austin', [harness.destination, 'hubspot']),
    );
    const theirs = Array.from({ length: 30 }, () => anEnrichedLead('acct-austin', ['salesforce']));
    await harness.produce([...ours, ...theirs], (index) => index % 3);
    const partitionOf = new Map(ours.map((lead, index) => [lead.lead.lead_id, index % 3]));

    const app = await harness.startApp();
    await app.listen(0, '127.0.0.1');

    await expectEventually(() => expect(harness.crm.records.size).toBe(140));
    const { calls } = harness.crm;
    expect(calls.length).toBeLessThanOrEqual(4); // 140 leads at 50 per call: 50, 50, 40 (plus one partial at most)
    expect(calls.some((call) => new Set(call.leadIds.map((id) => partitionOf.get(id))).size > 1)).toBe(true);
    const delivered = new Set(calls.flatMap((call) => call.leadIds));
    expect(theirs.some((lead) => delivered.has(lead.lead.lead_id))).toBe(false);

    await expectEventually(() => expect(harness.deliveryEvents()).toHaveLength(140));
    const event = harness.deliveryEvents().find((candidate) => candidate.lead_id === ours[0]?.lead.lead_id);
    expect(event).toMatchObject({
      account_id: 'acct-austin',
      outcome: 'delivered',
      attempts: 1,
      error: null,
      crm_record_id: harness.crm.records.get(ours[0]?.lead.lead_id ?? '')?.crmId,
      lead_timestamp: ours[0]?.lead.timestamp,
      person_key: ours[0]?.enrichment.person_key,
    });
    expect(Date.parse(event?.delivered_at ?? '')).toBeGreaterThan(0);

    const ends = await harness.kafka.admin();
    await ends.connect();
    const high = await ends.fetchTopicOffsets(LEAD_ENRICHED_V1.topic);
    await ends.disconnect();
    await expectEventually(async () =>
      expect(await committedOffsets(harness.kafka, harness.group, LEAD_ENRICHED_V1.topic)).toEqual(
        Object.fromEntries(high.map(({ partition, high: offset }) => [partition, Number(offset)])),
      ),
    );

    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const live = await (await fetch(`${base}/health/live`)).json();
    expect(live).toMatchObject({
      status: 'ok',
      info: { connector_consumer: { running: true, paused: false } },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(
        `lead_connector_crm_calls_total\\{[^}]*destination="${harness.destination}"[^}]*status="ok"[^}]*\\} [1-4]`,
      ),
    );
    expect(metrics).toMatch(/lead_connector_speed_to_lead_seconds_count\{[^}]*\} 140/);
  });
});
