import { ConnectorRuntime } from '@lead-delivery/connector-kit';
import {
  anEnrichedLead,
  type ConnectorTestBed,
  expectEventually,
  type RunningCrmSandbox,
  startCrmSandbox,
} from '@lead-delivery/testing';
import { hubspotTestBed } from './support/connector-test-bed';
import { PORTALS, SANDBOX_ENV, connectorEnv, startOf, writeAccountsFile } from './support/sandbox-portals';

describe('connector-hubspot: throttling, refused tokens and outages (sandbox faults, real Kafka)', () => {
  let sandbox: RunningCrmSandbox;
  let bed: ConnectorTestBed;
  let accountsFile: string;

  beforeAll(async () => {
    // The portals' own 190-per-10-s limit is lifted, so that only the injected faults refuse calls.
    sandbox = await startCrmSandbox({ ...SANDBOX_ENV, HUBSPOT_TEN_SECONDLY_LIMIT: '100000' });
    bed = await hubspotTestBed().setUp();
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
    // Seeded, so that the sandbox's random refusals are a representative 30%: with seed 20 it refuses
    // 86 of the first 286 calls (30.1%).
    await sandbox.client.setFaults('hubspot', {
      errors: [
        { status: 429, rate: 0.15, retryAfterSeconds: 1, policyName: 'TEN_SECONDLY_ROLLING' },
        { status: 503, rate: 0.15 },
      ],
      latency: { fixedMs: 50 },
      seed: 20,
    });
    const accounts = { 'acct-a': PORTALS.a.id, 'acct-b': PORTALS.b.id } as const;
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
    for (const [account, portal] of Object.entries(accounts)) {
      const expected = events.filter((event) => event.routing.account_id === account);
      const { records } = await sandbox.client.hubspotContacts({}, { portal, limit: 2_000 });
      expect(records.map((contact) => contact.properties['rdc_lead_id']).sort()).toEqual(
        leadIds(expected).sort(),
      );
      expect(records.every((contact) => contact.writes === 1 && contact.notes.length === 1)).toBe(true);
    }

    // Each delivery takes two calls (contacts, then notes); a note refused after its contact was written
    // is retried without writing the contact again.
    const counts = await sandbox.client.requestCounts({ crm: 'hubspot' });
    const minimum = 2 * 2 * Math.ceil(500 / 10);
    const refused = counts.byFault['error-rate'] ?? 0;
    console.log(`30% faults: ${counts.total} calls for a minimum of ${minimum}, ${refused} refused`);
    expect(refused / counts.total).toBeGreaterThanOrEqual(0.25);
    expect(counts.total).toBeLessThanOrEqual(1.5 * minimum);

    const { entries } = await sandbox.client.requests({ crm: 'hubspot', limit: 10_000 });
    const throttled = entries.filter((entry) => entry.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const refusal of throttled) {
      const next = entries.find((entry) => entry.tenant === refusal.tenant && entry.seq > refusal.seq);
      if (next) expect(startOf(next)).toBeGreaterThanOrEqual(Date.parse(refusal.at) + 1_000 - 5);
    }
  });

  it('holds the leads of a portal whose token is refused, and delivers them once the token works again', async () => {
    await bed.startApp(connectorEnv(sandbox.url, accountsFile, { CONNECTOR_MAX_ATTEMPTS: '30' }));
    await sandbox.client.expireTokens('hubspot', 0, PORTALS.b.id);
    const refused = Array.from({ length: 5 }, () => anEnrichedLead('acct-b'));
    const fine = Array.from({ length: 5 }, () => anEnrichedLead('acct-a'));
    await bed.produce([...refused, ...fine]);

    await expectEventually(() => expect(bed.delivered(leadIds(fine))).toHaveLength(5));
    await expectEventually(() =>
      expect(
        bed.deliveryEvents(leadIds(refused)).filter((event) => event.outcome === 'failed').length,
      ).toBeGreaterThan(0),
    );
    expect(bed.deliveryEvents(leadIds(refused))[0]?.error).toMatch(/^auth: EXPIRED_AUTHENTICATION/);
    expect(bed.deadLetters(leadIds(refused))).toHaveLength(0);

    await sandbox.client.clearFaults('hubspot', PORTALS.b.id);
    await expectEventually(() => expect(bed.delivered(leadIds(refused))).toHaveLength(5), {
      timeoutMs: 30_000,
    });
  });

  it('opens the circuit of an account whose portal is down, keeps the others flowing, and recovers', async () => {
    const app = await bed.startApp(
      connectorEnv(sandbox.url, accountsFile, {
        CONNECTOR_BREAKER_THRESHOLD: '2',
        CONNECTOR_INLINE_RETRIES: '1',
        CONNECTOR_MAX_ATTEMPTS: '30',
      }),
    );
    await sandbox.client.startOutage('hubspot', {}, PORTALS.b.id);
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
    expect(app.get(ConnectorRuntime).status.paused).toBe(false);

    await sandbox.client.endOutage('hubspot', PORTALS.b.id);
    await expectEventually(() => expect(bed.delivered(leadIds(down))).toHaveLength(20), {
      timeoutMs: 30_000,
    });
    const { records } = await sandbox.client.hubspotContacts({}, { portal: PORTALS.b.id, limit: 100 });
    expect(records.map((contact) => contact.properties['rdc_lead_id']).sort()).toEqual(leadIds(down).sort());
    await expectEventually(async () =>
      expect(await bed.metrics(app)).toMatch(
        /^lead_connector_circuit_state\{[^}]*account="acct-b"[^}]*\} 0$/m,
      ),
    );
  });
});
