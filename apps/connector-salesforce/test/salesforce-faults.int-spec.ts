import { ConnectorRuntime } from '@lead-delivery/connector-kit';
import {
  anEnrichedLead,
  type ConnectorTestBed,
  expectEventually,
  type RunningCrmSandbox,
  startCrmSandbox,
} from '@lead-delivery/testing';
import { salesforceTestBed } from './support/connector-test-bed';
import {
  ORGS,
  SANDBOX_ENV,
  connectorEnv,
  externalId,
  startOf,
  writeAccountsFile,
} from './support/sandbox-orgs';

describe('connector-salesforce: throttling, expired sessions and outages (sandbox faults, real Kafka)', () => {
  let sandbox: RunningCrmSandbox;
  let bed: ConnectorTestBed;
  let accountsFile: string;

  beforeAll(async () => {
    sandbox = await startCrmSandbox(SANDBOX_ENV);
    bed = await salesforceTestBed().setUp();
    await bed.skipExisting();
    accountsFile = writeAccountsFile(sandbox.url);
  });

  afterEach(async () => {
    await bed.stopApps();
    await sandbox.client.reset();
  });

  afterAll(async () => {
    await bed.tearDown();
    await sandbox.stop();
  });

  const leadIds = (events: { lead: { lead_id: string } }[]) => events.map((event) => event.lead.lead_id);

  it('delivers every lead exactly once through 30% injected 429/503 with latency, honouring Retry-After, without a retry storm', async () => {
    // Seeded, so that the sandbox's random refusals are a representative 30%: with seed 36 it refuses
    // 43 of the first 143 calls (30.1%).
    await sandbox.client.setFaults('salesforce', {
      errors: [
        { status: 429, rate: 0.15, retryAfterSeconds: 1 },
        { status: 503, rate: 0.15 },
      ],
      latency: { fixedMs: 50 },
      seed: 36,
    });
    const accounts = { 'acct-a': ORGS.a.id, 'acct-b': ORGS.b.id } as const;
    const events = Array.from({ length: 1_000 }, (_, index) =>
      anEnrichedLead(index % 2 === 0 ? 'acct-a' : 'acct-b'),
    );
    await bed.produce(events);
    await bed.startApp(
      connectorEnv(sandbox.url, accountsFile, {
        CONNECTOR_MAX_BATCH_SIZE: '10',
        CONNECTOR_CALLS_PER_WINDOW: '1000',
        CONNECTOR_CALL_WINDOW_MS: '1000',
      }),
    );

    await expectEventually(() => expect(bed.delivered(leadIds(events))).toHaveLength(1_000), {
      timeoutMs: 90_000,
    });
    expect(new Set(bed.delivered(leadIds(events)).map((event) => event.lead_id)).size).toBe(1_000);
    for (const [account, org] of Object.entries(accounts)) {
      const expected = events.filter((event) => event.routing.account_id === account);
      const { records } = await sandbox.client.salesforceLeads({}, { org, limit: 2_000 });
      expect(records.map((lead) => lead['Realtor_Lead_Id__c']).sort()).toEqual(
        expected.map((event) => externalId(account, event.lead.lead_id)).sort(),
      );
      expect(records.every((lead) => lead.writes === 1)).toBe(true);
    }

    const counts = await sandbox.client.requestCounts({ endpoint: 'salesforce.collections.upsert' });
    const minimum = 2 * Math.ceil(500 / 10);
    const refused = counts.byFault['error-rate'] ?? 0;
    console.log(`30% faults: ${counts.total} upsert calls for a minimum of ${minimum}, ${refused} refused`);
    expect(refused / counts.total).toBeGreaterThanOrEqual(0.25);
    expect(counts.total).toBeLessThanOrEqual(1.5 * minimum);

    const { entries } = await sandbox.client.requests({
      endpoint: 'salesforce.collections.upsert',
      limit: 10_000,
    });
    const throttled = entries.filter((entry) => entry.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const refusal of throttled) {
      const next = entries.find((entry) => entry.tenant === refusal.tenant && entry.seq > refusal.seq);
      if (next) expect(startOf(next)).toBeGreaterThanOrEqual(Date.parse(refusal.at) + 1_000 - 5);
    }
  });

  it('renews an expired session once and then succeeds', async () => {
    await bed.startApp(connectorEnv(sandbox.url, accountsFile));
    const before = anEnrichedLead('acct-a');
    await bed.produce([before]);
    await expectEventually(() => expect(bed.delivered([before.lead.lead_id])).toHaveLength(1));

    await sandbox.client.expireTokens('salesforce', 0, ORGS.a.id);
    const after = Array.from({ length: 5 }, () => anEnrichedLead('acct-a'));
    await bed.produce(after);
    await expectEventually(() => expect(bed.delivered(leadIds(after))).toHaveLength(5));

    const tokens = await sandbox.client.requestCounts({
      endpoint: 'salesforce.oauth.token',
      tenant: ORGS.a.id,
    });
    expect(tokens.total).toBe(2);
    const upserts = await sandbox.client.requestCounts({
      endpoint: 'salesforce.collections.upsert',
      tenant: ORGS.a.id,
    });
    expect(upserts.byStatus['401']).toBe(1);
    expect(bed.deliveryEvents(leadIds(after)).every((event) => event.outcome === 'delivered')).toBe(true);
  });

  it('opens the circuit of an account whose org is down, keeps the others flowing, and recovers', async () => {
    const app = await bed.startApp(
      connectorEnv(sandbox.url, accountsFile, {
        CONNECTOR_BREAKER_THRESHOLD: '2',
        CONNECTOR_INLINE_RETRIES: '1',
        CONNECTOR_MAX_ATTEMPTS: '30',
      }),
    );
    await sandbox.client.startOutage('salesforce', {}, ORGS.b.id);
    const down = Array.from({ length: 20 }, () => anEnrichedLead('acct-b'));
    const up = Array.from({ length: 20 }, () => anEnrichedLead('acct-a'));
    await bed.produce([...down, ...up]);

    await expectEventually(() => expect(bed.delivered(leadIds(up))).toHaveLength(20));
    await expectEventually(async () =>
      expect(await bed.metrics(app)).toMatch(
        /^lead_connector_circuit_state\{[^}]*account="acct-b"[^}]*\} 2$/m,
      ),
    );
    expect(bed.delivered(leadIds(down))).toHaveLength(0);
    expect(bed.deliveryEvents(leadIds(down)).some((event) => event.outcome === 'failed')).toBe(true);
    expect(app.get(ConnectorRuntime).status.paused).toBe(false);

    await sandbox.client.endOutage('salesforce', ORGS.b.id);
    await expectEventually(() => expect(bed.delivered(leadIds(down))).toHaveLength(20), {
      timeoutMs: 30_000,
    });
    const { records } = await sandbox.client.salesforceLeads({}, { org: ORGS.b.id, limit: 100 });
    expect(records.map((lead) => lead['Realtor_Lead_Id__c']).sort()).toEqual(
      down.map((event) => externalId(event.routing.account_id, event.lead.lead_id)).sort(),
    );
    await expectEventually(async () =>
      expect(await bed.metrics(app)).toMatch(
        /^lead_connector_circuit_state\{[^}]*account="acct-b"[^}]*\} 0$/m,
      ),
    );
  });
});
