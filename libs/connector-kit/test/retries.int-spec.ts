import { HEADERS } from '@lead-delivery/contracts';
import { METRICS_REGISTRY } from '@lead-delivery/observability';
import { expectEventually } from '@lead-delivery/testing';
import type { Registry } from 'prom-client';
import { ConnectorHarness, FAST_LIMITS, anEnrichedLead } from './support/connector-harness';

const RETRY_ENV = {
  CONNECTOR_BACKOFF_INITIAL_MS: '50',
  CONNECTOR_BACKOFF_MAX_MS: '500',
  CONNECTOR_PARK_DELAY_INITIAL_MS: '500',
  CONNECTOR_PARK_DELAY_MAX_MS: '1000',
  CONNECTOR_BREAKER_HALF_OPEN_MS: '1500',
};

describe('retries, Retry-After, circuit breakers and the retry topic (real Kafka, fake CRM)', () => {
  let harness: ConnectorHarness;

  afterEach(async () => {
    await harness.tearDown();
  });

  it('delivers every lead once through 30% injected 429/503, honouring Retry-After, without a retry storm', async () => {
    harness = await new ConnectorHarness().setUp();
    harness.crm.failureRate = 0.3;
    harness.crm.retryAfterSeconds = '0.3';
    harness.crm.latencyMs = 20;
    const accounts = ['acct-a', 'acct-b', 'acct-c'];
    const leads = Array.from({ length: 900 }, (_, index) =>
      anEnrichedLead(accounts[index % 3] as string, [harness.destination]),
    );
    await harness.produce(leads);
    await harness.startApp(RETRY_ENV);

    await expectEventually(() => expect(harness.crm.records.size).toBe(900), { timeoutMs: 60_000 });
    await expectEventually(() =>
      expect(harness.deliveryEvents().filter((event) => event.outcome === 'delivered')).toHaveLength(900),
    );
    const delivered = harness.deliveryEvents().filter((event) => event.outcome === 'delivered');
    expect(new Set(delivered.map((event) => event.lead_id)).size).toBe(900);
    expect([...harness.crm.records.values()].every((record) => record.writes === 1)).toBe(true);

    const { calls } = harness.crm;
    const failedCalls = calls.filter((call) => call.status !== 200);
    expect(failedCalls.length).toBeGreaterThanOrEqual(0.3 * calls.length);
    expect(failedCalls.some((call) => call.status === 429)).toBe(true);
    const minimum = accounts.length * Math.ceil(300 / FAST_LIMITS.maxBatchSize);
    expect(calls.length).toBeLessThanOrEqual(1.5 * minimum);
    console.log(
      `30% faults: ${calls.length} calls for a minimum of ${minimum}, ${failedCalls.length} failed`,
    );

    for (const account of accounts) {
      const ofAccount = harness.crm.callsOf(account);
      ofAccount.forEach((call, index) => {
        const next = ofAccount[index + 1];
        if (call.status === 429 && next) {
          expect(next.startedAt - call.endedAt).toBeGreaterThanOrEqual((call.retryAfterMs ?? 0) - 2);
        }
      });
    }
  });

  it('opens the breaker of a failing account, parks its leads on the retry topic, keeps the others flowing, and delivers it after recovery', async () => {
    harness = await new ConnectorHarness().setUp();
    harness.crm.failingAccounts.add('acct-broken');
    const leads = Array.from({ length: 90 }, (_, index) =>
      anEnrichedLead(['acct-ok-1', 'acct-broken', 'acct-ok-2'][index % 3] as string, [harness.destination]),
    );
    const broken = leads
      .filter((lead) => lead.routing.account_id === 'acct-broken')
      .map((lead) => lead.lead.lead_id);
    const app = await harness.startApp({
      ...RETRY_ENV,
      CONNECTOR_BREAKER_THRESHOLD: '3',
      CONNECTOR_INLINE_RETRIES: '1',
      CONNECTOR_MAX_ATTEMPTS: '50',
    });
    const registry = app.get<Registry>(METRICS_REGISTRY);
    const producedAt = Date.now();
    await harness.produce(leads);

    await expectEventually(() => expect(harness.crm.records.size).toBe(60), { timeoutMs: 10_000 });
    const healthyDoneIn = Date.now() - producedAt;
    expect([...harness.crm.records.keys()].some((id) => broken.includes(id))).toBe(false);
    await expectEventually(async () =>
      expect(await registry.getSingleMetricAsString('lead_connector_circuit_state')).toMatch(
        /\{[^}]*account="acct-broken"[^}]*\} 2$/m,
      ),
    );
    const parked = harness.records(harness.retryTopic);
    expect(new Set(parked.map((record) => record.key))).toEqual(new Set(broken));
    expect(parked.every((record) => record.headers[HEADERS.accountId] === 'acct-broken')).toBe(true);
    expect(
      harness
        .deliveryEvents()
        .filter((event) => event.outcome === 'failed')
        .every((event) => broken.includes(event.lead_id)),
    ).toBe(true);
    const brokenCallsWhileDown = harness.crm.callsOf('acct-broken').length;
    console.log(
      `healthy accounts done in ${healthyDoneIn} ms; broken account: ${brokenCallsWhileDown} calls while down`,
    );

    harness.crm.failingAccounts.delete('acct-broken');
    await expectEventually(() => expect(harness.crm.records.size).toBe(90), { timeoutMs: 30_000 });
    expect([...harness.crm.records.values()].every((record) => record.writes === 1)).toBe(true);
    await expectEventually(() =>
      expect(harness.deliveryEvents().filter((event) => event.outcome === 'delivered')).toHaveLength(90),
    );
    // The breaker kept the broken account to a trickle of trial calls, and the others were not held up.
    expect(brokenCallsWhileDown).toBeLessThan(20);
    expect(healthyDoneIn).toBeLessThan(10_000);
  });

  it('dead-letters a lead after the maximum number of attempts, with the last error', async () => {
    harness = await new ConnectorHarness().setUp();
    harness.crm.unauthorizedAccounts.add('acct-revoked');
    await harness.startApp({ ...RETRY_ENV, CONNECTOR_MAX_ATTEMPTS: '3', CONNECTOR_BREAKER_THRESHOLD: '10' });
    const lead = anEnrichedLead('acct-revoked', [harness.destination]);
    await harness.produce([lead]);

    await expectEventually(() => expect(harness.records(harness.dlqTopic)).toHaveLength(1), {
      timeoutMs: 30_000,
    });
    const [letter] = harness.records(harness.dlqTopic);
    expect(letter?.headers).toMatchObject({
      [HEADERS.errorKind]: 'retries_exhausted',
      [HEADERS.attempt]: '3',
    });
    expect(letter?.headers[HEADERS.errorReason]).toMatch(/gave up after 3 attempts; last error \(auth\)/);
    expect(harness.crm.callsOf('acct-revoked')).toHaveLength(3);
    await expectEventually(() =>
      expect(harness.deliveryEvents().map((event) => [event.outcome, event.attempts])).toEqual([
        ['failed', 1],
        ['failed', 2],
        ['dead_lettered', 3],
      ]),
    );
  });

  it('counts calls the CRM refused to process apart from attempts: a throttled lead outlives the attempt limit, then is dead-lettered at the refused-call limit', async () => {
    harness = await new ConnectorHarness().setUp();
    harness.crm.retryAfterSeconds = '0.05';
    harness.crm.throttledAccounts.set('acct-throttled-briefly', 4);
    harness.crm.throttledAccounts.set('acct-throttled-for-good', Number.POSITIVE_INFINITY);
    await harness.startApp({
      ...RETRY_ENV,
      CONNECTOR_MAX_ATTEMPTS: '2',
      CONNECTOR_MAX_REFUSED_CALLS: '6',
      CONNECTOR_BREAKER_THRESHOLD: '10',
    });
    const recovers = anEnrichedLead('acct-throttled-briefly', [harness.destination]);
    const never = anEnrichedLead('acct-throttled-for-good', [harness.destination]);
    await harness.produce([recovers, never]);

    await expectEventually(() => expect(harness.crm.records.has(recovers.lead.lead_id)).toBe(true), {
      timeoutMs: 30_000,
    });
    expect(harness.crm.callsOf('acct-throttled-briefly').map((call) => call.status)).toEqual([
      429, 429, 429, 429, 200,
    ]);
    await expectEventually(() => expect(harness.records(harness.dlqTopic)).toHaveLength(1), {
      timeoutMs: 30_000,
    });
    const [letter] = harness.records(harness.dlqTopic);
    expect(letter?.key).toBe(never.lead.lead_id);
    expect(letter?.headers).toMatchObject({
      [HEADERS.errorKind]: 'retries_exhausted',
      [HEADERS.attempt]: '0',
      [HEADERS.refusedCalls]: '6',
    });
    expect(letter?.headers[HEADERS.errorReason]).toMatch(
      /gave up after 6 calls the CRM refused to process; last error \(rate_limited\)/,
    );
    expect(harness.crm.callsOf('acct-throttled-for-good')).toHaveLength(6);
    await expectEventually(() =>
      expect(
        harness
          .deliveryEvents()
          .filter((event) => event.lead_id === recovers.lead.lead_id && event.outcome === 'delivered')
          .map((event) => event.attempts),
      ).toEqual([1]),
    );
  });
});
