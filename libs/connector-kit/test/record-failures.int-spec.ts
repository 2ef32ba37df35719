import { HEADERS, LEAD_ENRICHED_V1, type LeadEnrichedV1 } from '@lead-delivery/contracts';
import { METRICS_REGISTRY } from '@lead-delivery/observability';
import { expectEventually, uniqueLeadId } from '@lead-delivery/testing';
import { ConfigResourceTypes } from 'kafkajs';
import type { Registry } from 'prom-client';
import { ConnectorHarness, anEnrichedLead } from './support/connector-harness';

const stalledSeconds = (metrics: string, group: string) =>
  Math.max(
    0,
    ...[...metrics.matchAll(/^lead_consumer_partition_stalled_seconds\{([^}]*)\} (\S+)$/gm)]
      .filter(([, labels]) => labels?.includes(`group="${group}"`))
      .map(([, , seconds]) => Number(seconds)),
  );

describe('connector: records that fail by themselves, and stalls', () => {
  let harness: ConnectorHarness;

  beforeEach(async () => {
    harness = await new ConnectorHarness().setUp();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await harness.tearDown();
  });

  it('dead-letters poison records with their reason and delivers the lead produced after them', async () => {
    const notJson = uniqueLeadId();
    const deep = anEnrichedLead('acct-dallas', [harness.destination]);
    const deepValue = JSON.stringify(deep).replace(
      /}$/,
      `,"nested":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
    );
    const overflowing = anEnrichedLead('acct-dallas', [harness.destination]);
    const map = harness.crm.map.bind(harness.crm);
    jest.spyOn(harness.crm, 'map').mockImplementation((event) => {
      if (event.lead.lead_id === overflowing.lead.lead_id)
        throw new RangeError('Maximum call stack size exceeded');
      return map(event);
    });
    const good = anEnrichedLead('acct-dallas', [harness.destination]);
    await harness.startApp();

    const producer = harness.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({
      topic: LEAD_ENRICHED_V1.topic,
      acks: -1,
      messages: [
        { key: notJson, value: `{"lead": {"lead_id": "${notJson}"`, partition: 0 },
        { key: deep.lead.lead_id, value: deepValue, partition: 0 },
      ],
    });
    await producer.disconnect();
    await harness.produce([overflowing, good], () => 0);

    await expectEventually(() => expect(harness.crm.records.has(good.lead.lead_id)).toBe(true));
    const letters = await expectEventually(() => {
      const records = harness.records(harness.dlqTopic);
      expect(records).toHaveLength(3);
      return new Map(records.map((record) => [record.key, record.headers]));
    });
    expect(letters.get(notJson)).toMatchObject({
      [HEADERS.errorKind]: 'invalid_record',
      [HEADERS.errorReason]: 'value is not JSON',
    });
    expect(letters.get(deep.lead.lead_id)).toMatchObject({
      [HEADERS.errorKind]: 'invalid_record',
      [HEADERS.errorReason]: expect.stringMatching(/^value nests deeper than 512 levels at \/nested\/0\/0/),
    });
    expect(letters.get(overflowing.lead.lead_id)).toMatchObject({
      [HEADERS.errorKind]: 'mapping_failed',
      [HEADERS.errorReason]: 'Maximum call stack size exceeded',
    });
    expect(harness.crm.records.has(overflowing.lead.lead_id)).toBe(false);
  });

  it('delivers the call-mates of a lead our code fails on, and dead-letters only that lead', async () => {
    const leads = Array.from({ length: 12 }, () => anEnrichedLead('acct-dallas', [harness.destination]));
    const culprit = (leads[7] as LeadEnrichedV1).lead.lead_id;
    harness.crm.unbuildableLeads.add(culprit);
    await harness.startApp();
    await harness.produce(leads, () => 0);

    const letters = await expectEventually(() => {
      const records = harness.records(harness.dlqTopic);
      expect(records).toHaveLength(1);
      return records;
    });
    expect(letters[0]?.key).toBe(culprit);
    expect(letters[0]?.headers).toMatchObject({
      [HEADERS.errorKind]: 'record_failed',
      [HEADERS.errorReason]: "TypeError: Cannot read properties of undefined (reading 'postalCode')",
    });
    const others = leads.map((lead) => lead.lead.lead_id).filter((id) => id !== culprit);
    await expectEventually(() => expect([...harness.crm.records.keys()].sort()).toEqual(others.sort()));
    const events = await expectEventually(() => {
      const all = harness.deliveryEvents();
      expect(all).toHaveLength(12);
      return all;
    });
    expect(events.filter((event) => event.outcome === 'dead_lettered').map((event) => event.lead_id)).toEqual(
      [culprit],
    );
    // The whole call was not retried lead by lead, nor did the account's breaker open.
    expect(harness.crm.calls.filter((call) => call.leadIds.includes(culprit)).length).toBeLessThan(12);
    expect(harness.records(harness.retryTopic)).toHaveLength(0);
  });

  it('sends a dead letter too large for the DLQ topic without its value, pointing at the original record', async () => {
    const admin = harness.kafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: harness.dlqTopic,
          configEntries: [{ name: 'max.message.bytes', value: '4096' }],
        },
      ],
    });
    await admin.disconnect();
    const large = { ...anEnrichedLead('acct-dallas', [harness.destination]), padding: 'x'.repeat(8_000) };
    harness.crm.unmappableLeads.add(large.lead.lead_id);
    const app = await harness.startApp();
    await harness.produce([large], () => 0);

    const letter = await expectEventually(() => {
      const [record, ...others] = harness.records(harness.dlqTopic);
      expect(others).toHaveLength(0);
      expect(record).toBeDefined();
      return record as NonNullable<typeof record>;
    });
    expect(letter.key).toBe(large.lead.lead_id);
    expect(JSON.parse(letter.value ?? '')).toEqual({
      omitted: 'value too large for the DLQ',
      bytes: Buffer.byteLength(JSON.stringify(large)),
    });
    expect(letter.headers).toMatchObject({
      [HEADERS.valueOmitted]: 'MESSAGE_TOO_LARGE',
      [HEADERS.errorKind]: 'mapping_failed',
      [HEADERS.originalTopic]: LEAD_ENRICHED_V1.topic,
      [HEADERS.originalPartition]: '0',
      [HEADERS.originalOffset]: expect.stringMatching(/^\d+$/),
    });
    const metrics = await app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(metrics).toMatch(/^lead_connector_dead_letter_values_omitted_total\{[^}]*\} 1$/m);
    await expectEventually(() =>
      expect(harness.deliveryEvents().map((event) => event.outcome)).toEqual(['dead_lettered']),
    );
  });

  it('shows a partition stalled behind a blocked CRM call in the metric and readiness, and clears it', async () => {
    let release: () => void = () => undefined;
    harness.crm.hold = new Promise<void>((resolve) => (release = resolve));
    const app = await harness.startApp({ CONSUMER_STALL_TIMEOUT_MS: '1000' });
    const runtime = harness.runtime(app);
    const registry = app.get<Registry>(METRICS_REGISTRY);
    const lead = anEnrichedLead('acct-dallas', [harness.destination]);
    await harness.produce([lead]);

    await expectEventually(async () => {
      expect(stalledSeconds(await registry.metrics(), harness.group)).toBeGreaterThan(1);
      await expect(runtime.progress.check()).rejects.toThrow(
        /leads\.enriched\.v1\/\d+ for \d+ s with \d+ records waiting/,
      );
    });

    release();
    harness.crm.hold = undefined;
    await expectEventually(() => expect(harness.crm.records.has(lead.lead.lead_id)).toBe(true));
    await expectEventually(async () => {
      await expect(runtime.progress.check()).resolves.toEqual({ stallTimeoutMs: 1000 });
      // Other suites may be producing to the shared topic: records wait, but only for moments.
      expect(stalledSeconds(await registry.metrics(), harness.group)).toBeLessThan(1);
    });
  });
});
