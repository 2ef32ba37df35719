import { LEAD_ENRICHED_V1 } from '@lead-delivery/contracts';
import { committedOffsets, expectEventually } from '@lead-delivery/testing';
import { ConnectorHarness, anEnrichedLead } from './support/connector-harness';

describe('CRM-wide outage and crashes (real Kafka, fake CRM)', () => {
  let harness: ConnectorHarness;

  beforeEach(async () => {
    harness = await new ConnectorHarness().setUp();
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  const leadsOf = (count: number) =>
    Array.from({ length: count }, (_, index) => anEnrichedLead(`acct-${index % 2}`, [harness.destination]));

  const topicEnds = async () => {
    const admin = harness.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(LEAD_ENRICHED_V1.topic);
    await admin.disconnect();
    return Object.fromEntries(ends.map(({ partition, high }) => [partition, Number(high)]));
  };

  it('pauses consumption while the whole CRM is down, resumes after, and loses nothing', async () => {
    const app = await harness.startApp({
      CONNECTOR_OUTAGE_THRESHOLD: '4',
      CONNECTOR_OUTAGE_PAUSE_MS: '1500',
      CONNECTOR_BREAKER_THRESHOLD: '20',
      CONNECTOR_BACKOFF_INITIAL_MS: '50',
      CONNECTOR_PARK_DELAY_INITIAL_MS: '500',
      CONNECTOR_PARK_DELAY_MAX_MS: '1000',
      CONNECTOR_MAX_ATTEMPTS: '50',
    });
    const runtime = harness.runtime(app);
    const before = leadsOf(20);
    await harness.produce(before);
    await expectEventually(() => expect(harness.crm.records.size).toBe(20));

    harness.crm.outage = true;
    const during = leadsOf(40);
    await harness.produce(during);
    await expectEventually(() => expect(runtime.status.paused).toBe(true));
    const callsAtPause = harness.crm.calls.length;
    const later = leadsOf(40);
    await harness.produce(later);

    // Paused: the new leads stay in Kafka (uncommitted) and the CRM only sees trial calls.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const committed = await committedOffsets(harness.kafka, harness.group, LEAD_ENRICHED_V1.topic);
    const ends = await topicEnds();
    expect(
      Object.keys(ends).some(
        (partition) => (committed[Number(partition)] ?? 0) < (ends[Number(partition)] ?? 0),
      ),
    ).toBe(true);
    expect(harness.crm.calls.length - callsAtPause).toBeLessThanOrEqual(4);

    harness.crm.outage = false;
    await expectEventually(() => expect(harness.crm.records.size).toBe(100), { timeoutMs: 30_000 });
    expect(runtime.status.paused).toBe(false);
    expect([...harness.crm.records.values()].every((record) => record.writes === 1)).toBe(true);
    await expectEventually(() =>
      expect(harness.deliveryEvents().filter((event) => event.outcome === 'delivered')).toHaveLength(100),
    );
    const finalEnds = await topicEnds();
    await expectEventually(async () =>
      expect(await committedOffsets(harness.kafka, harness.group, LEAD_ENRICHED_V1.topic)).toEqual(finalEnds),
    );
  });

  it('on shutdown, lets the calls in flight finish and commits their outcomes before leaving', async () => {
    harness.crm.latencyMs = 1_500;
    const first = await harness.startApp({ CONNECTOR_SHUTDOWN_GRACE_MS: '10000' });
    const leads = leadsOf(20);
    await harness.produce(leads);
    await expectEventually(() => expect(harness.crm.calls.length).toBeGreaterThan(0));

    await first.close();
    harness.apps.splice(harness.apps.indexOf(first), 1);
    const finished = harness.crm.calls.flatMap((call) => call.leadIds);
    expect(harness.crm.records.size).toBe(finished.length);
    expect(
      harness
        .deliveryEvents()
        .map((event) => event.lead_id)
        .sort(),
    ).toEqual([...finished].sort());

    harness.crm.latencyMs = 0;
    await harness.startApp();
    await expectEventually(() => expect(harness.crm.records.size).toBe(20));
    expect([...harness.crm.records.values()].every((record) => record.writes === 1)).toBe(true);
  });

  it('after a crash mid-call, a new instance redelivers the uncommitted leads: none lost, one CRM record each', async () => {
    const startEnds = await topicEnds();
    let release: () => void = () => undefined;
    harness.crm.hold = new Promise<void>((resolve) => (release = resolve));
    const crashed = await harness.startApp({ CONNECTOR_SHUTDOWN_GRACE_MS: '200' });
    const leads = leadsOf(30);
    await harness.produce(leads);
    await expectEventually(() => expect(harness.crm.calls.length).toBeGreaterThan(0));

    await crashed.close(); // the calls never answered within the grace period: abandoned, nothing committed
    harness.apps.splice(harness.apps.indexOf(crashed), 1);
    const abandoned = harness.crm.calls.flatMap((call) => call.leadIds);
    expect(await committedOffsets(harness.kafka, harness.group, LEAD_ENRICHED_V1.topic)).toEqual(startEnds);
    harness.crm.hold = undefined;
    release(); // the CRM did apply that call; its answer is lost with the crashed instance

    await harness.startApp();
    await expectEventually(() => expect(harness.crm.records.size).toBe(30));
    await expectEventually(() =>
      expect(
        new Set(
          harness
            .deliveryEvents()
            .filter((e) => e.outcome === 'delivered')
            .map((e) => e.lead_id),
        ).size,
      ).toBe(30),
    );
    const rewritten = [...harness.crm.records.values()].filter((record) => record.writes === 2);
    expect(rewritten.length).toBe(abandoned.length);
    const finalEnds = await topicEnds();
    await expectEventually(async () =>
      expect(await committedOffsets(harness.kafka, harness.group, LEAD_ENRICHED_V1.topic)).toEqual(finalEnds),
    );
  });
});
