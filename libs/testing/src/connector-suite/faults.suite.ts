/// <reference types="jest" />
import { leadIdsOf } from '../connector-test-bed';
import type { SandboxRequestLogEntry } from '../crm-sandbox-client';
import { expectEventually } from '../expect-eventually';
import type { ConnectorSuiteSubject } from './connector-suite-subject';
import type { SandboxedConnector } from './sandboxed-connector';
import { leadsTo } from './suite-leads';
import { callsTo, isCallTo } from './suite-endpoint';

/** Records a batching connector writes per call in the faults run. */
const BATCH_SIZE = 10;

/** When a logged call started (the log records when its answer was sent). */
const startOf = (entry: SandboxRequestLogEntry) => Date.parse(entry.at) - entry.durationMs;
/** How long after a 429 left the CRM a call sent before it arrived may still reach the CRM (the connector's backoff is longer). */
const ON_THE_WAY_MS = 50;

/** Faults: refusals retried and delivered once, refused credentials parked, a tenant's outage isolated. */
export function describeFaults(subject: ConnectorSuiteSubject, crm: SandboxedConnector): void {
  const aLead = leadsTo(subject.connector.destination);
  const { a, b } = subject.accounts;
  const { retried, leads = 1_000 } = subject.faults;
  const statuses = retried.map((error) => error.status).join('/');
  const perCall = subject.batching === 'per-lead' ? 1 : BATCH_SIZE;
  const retryAfterMs = (retried.find((error) => error.status === 429)?.retryAfterSeconds ?? 0) * 1_000;
  const circuitState = (state: number) =>
    new RegExp(`^lead_connector_circuit_state\\{[^}]*account="${b.id}"[^}]*\\} ${state}$`, 'm');

  it(`delivers every lead exactly once through ~30% injected ${statuses} with latency, honouring Retry-After, without a retry storm`, async () => {
    const { bed, sandbox } = crm;
    await sandbox.client.setFaults(subject.crm, {
      errors: retried,
      latency: { fixedMs: 50 },
      seed: subject.faults.seed,
    });
    const events = Array.from({ length: leads }, (_, index) => aLead(index % 2 === 0 ? a.id : b.id));
    await bed.produce(events);
    await bed.startApp(
      crm.env({
        CONNECTOR_MAX_BATCH_SIZE: String(perCall),
        CONNECTOR_CALLS_PER_WINDOW: '1000',
        CONNECTOR_CALL_WINDOW_MS: '1000',
      }),
    );

    await expectEventually(() => expect(bed.delivered(leadIdsOf(events))).toHaveLength(leads), {
      timeoutMs: 90_000,
    });
    expect(new Set(bed.delivered(leadIdsOf(events)).map((event) => event.lead_id)).size).toBe(leads);
    for (const account of [a, b]) {
      const expected = events.filter((event) => event.routing.account_id === account.id);
      const records = await subject.records.recordsIn(sandbox.client, account.tenant);
      expect(records.map((record) => record.key).sort()).toEqual(
        expected.map((event) => subject.records.keyOf(event)).sort(),
      );
      expect(records.filter((record) => record.writes !== 1)).toEqual([]);
      expect(records.filter((record) => record.activities.length !== subject.activitiesPerLead)).toEqual([]);
    }

    // Each batch's delivery takes one call per write (records, activities); a write refused after an earlier
    // one succeeded is retried without repeating that one.
    const { upsert, activity } = subject.endpoints;
    const writes = [...new Set(subject.activitiesPerLead > 0 && activity ? [upsert, activity] : [upsert])];
    const counts = await Promise.all(
      writes.map((endpoint) => callsTo(sandbox.client, subject.crm, endpoint)),
    );
    const total = counts.reduce((sum, count) => sum + count.total, 0);
    const refused = counts.reduce((sum, count) => sum + (count.byFault['error-rate'] ?? 0), 0);
    const minimum = writes.length * 2 * Math.ceil(leads / 2 / perCall);
    console.log(`~30% faults: ${total} write calls for a minimum of ${minimum}, ${refused} refused`);
    expect(refused / total).toBeGreaterThanOrEqual(0.25);
    expect(total).toBeLessThanOrEqual(1.5 * minimum);

    const { entries } = await sandbox.client.requests({ crm: subject.crm, limit: 10_000 });
    const calls = entries.filter((entry) => writes.some((endpoint) => isCallTo(endpoint, entry)));
    const throttled = calls.filter((entry) => entry.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    // A call sent before the connector had the 429 (a pipelined delivery's other request, on its way while
    // the answer was) did not ignore it; every call of the tenant started later waits out the Retry-After.
    for (const refusal of throttled) {
      const answeredAt = Date.parse(refusal.at);
      const startedAfter = calls
        .filter((entry) => entry.tenant === refusal.tenant && startOf(entry) > answeredAt + ON_THE_WAY_MS)
        .map(startOf);
      if (startedAfter.length > 0) {
        expect(Math.min(...startedAfter)).toBeGreaterThanOrEqual(answeredAt + retryAfterMs - 5);
      }
    }
  });

  it('parks the leads of a tenant that refuses the credentials, without dead-lettering them, and delivers them once it accepts them again', async () => {
    const { bed, sandbox } = crm;
    await bed.startApp(crm.env({ CONNECTOR_MAX_ATTEMPTS: '30' }));
    await subject.faults.refuseCredentials(sandbox.client, b.tenant);
    const refused = Array.from({ length: 5 }, () => aLead(b.id));
    const fine = Array.from({ length: 5 }, () => aLead(a.id));
    await bed.produce([...refused, ...fine]);

    await expectEventually(() => expect(bed.delivered(leadIdsOf(fine))).toHaveLength(5));
    await expectEventually(() =>
      expect(
        bed.deliveryEvents(leadIdsOf(refused)).filter((event) => event.outcome === 'failed').length,
      ).toBeGreaterThan(0),
    );
    expect(bed.deliveryEvents(leadIdsOf(refused))[0]?.error).toMatch(subject.faults.authError);
    expect(bed.delivered(leadIdsOf(refused))).toEqual([]);
    expect(bed.deadLetters(leadIdsOf(refused))).toEqual([]);

    await sandbox.client.clearFaults(subject.crm, b.tenant);
    await expectEventually(() => expect(bed.delivered(leadIdsOf(refused))).toHaveLength(5), {
      timeoutMs: 30_000,
    });
    expect(bed.deadLetters(leadIdsOf(refused))).toEqual([]);
  });

  it('opens the circuit of an account whose tenant is down, keeps the others flowing, and recovers', async () => {
    const { bed, sandbox } = crm;
    const app = await bed.startApp(
      crm.env({
        CONNECTOR_BREAKER_THRESHOLD: '2',
        CONNECTOR_INLINE_RETRIES: '1',
        CONNECTOR_MAX_ATTEMPTS: '30',
      }),
    );
    await sandbox.client.startOutage(subject.crm, {}, b.tenant);
    const down = Array.from({ length: 20 }, () => aLead(b.id));
    const up = Array.from({ length: 20 }, () => aLead(a.id));
    await bed.produce([...down, ...up]);

    await expectEventually(() => expect(bed.delivered(leadIdsOf(up))).toHaveLength(20));
    await expectEventually(async () => expect(await bed.metrics(app)).toMatch(circuitState(2)));
    expect(bed.delivered(leadIdsOf(down))).toHaveLength(0);
    // Refused calls are retried in memory until the circuit opens; it then parks the leads, and their
    // `failed` events reach the topic just after the circuit metric changed.
    await expectEventually(() =>
      expect(bed.deliveryEvents(leadIdsOf(down)).some((event) => event.outcome === 'failed')).toBe(true),
    );
    // One tenant down pauses nothing else: consumption goes on.
    expect(await bed.metrics(app)).toMatch(/^lead_connector_consumption_paused\{[^}]*\} 0$/m);

    await sandbox.client.endOutage(subject.crm, b.tenant);
    await expectEventually(() => expect(bed.delivered(leadIdsOf(down))).toHaveLength(20), {
      timeoutMs: 30_000,
    });
    const keys = (await subject.records.recordsIn(sandbox.client, b.tenant)).map((record) => record.key);
    expect(keys.sort()).toEqual(down.map((event) => subject.records.keyOf(event)).sort());
    await expectEventually(async () => expect(await bed.metrics(app)).toMatch(circuitState(0)));
  });
}
