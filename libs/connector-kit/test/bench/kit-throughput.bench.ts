// Throughput of connector-kit alone under a backlog, with in-memory CRMs that answer in 50 ms. Nest needs
// decorator metadata, which tsx does not emit, hence ts-node:
//   KAFKA_BROKERS=127.0.0.1:9092 TS_NODE_TRANSPILE_ONLY=1 TS_NODE_PROJECT=tsconfig.json \
//     node -r ts-node/register -r tsconfig-paths/register libs/connector-kit/test/bench/kit-throughput.bench.ts [leads]
// Prints records per CRM call, calls per lead and leads per second for a Salesforce-like destination
// (200 per call) and a HubSpot-like one (100 per call, 19 calls/s), both fed the same backlog.
import { expectEventually } from '@lead-delivery/testing';
import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { ConnectorHarness, anEnrichedLead } from '../support/connector-harness';

const LEADS = Number(process.argv[2] ?? 10_000);
const ACCOUNTS = ['acct-austin', 'acct-dallas', 'acct-houston'];

async function main(): Promise<void> {
  const salesforceLike = await new ConnectorHarness({
    maxBatchSize: 200,
    callsPerWindow: 250,
    callWindowMs: 10_000,
  }).setUp();
  const hubspotLike = await new ConnectorHarness({
    maxBatchSize: 100,
    callsPerWindow: 190,
    callWindowMs: 10_000,
  }).setUp();
  const harnesses = [salesforceLike, hubspotLike];
  for (const harness of harnesses) harness.crm.latencyMs = 50;
  try {
    const destinations = harnesses.map((harness) => harness.destination);
    for (let start = 0; start < LEADS; start += 1_000) {
      const count = Math.min(1_000, LEADS - start);
      await salesforceLike.produce(
        Array.from({ length: count }, (_, index) =>
          anEnrichedLead(ACCOUNTS[(start + index) % 3] as string, destinations),
        ),
      );
    }
    const startedAt = Date.now();
    await Promise.all(harnesses.map((harness) => harness.startApp({ LOG_LEVEL: 'warn' })));
    const finished = await Promise.all(
      harnesses.map(async (harness) => {
        await expectEventually(() => assert.equal(harness.crm.records.size, LEADS), {
          timeoutMs: 600_000,
          intervalMs: 50,
        });
        return Date.now() - startedAt;
      }),
    );
    console.log(`connector-kit, ${LEADS} leads backlog over ${ACCOUNTS.length} accounts, CRM latency 50 ms`);
    console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
    harnesses.forEach((harness, index) => {
      const { calls } = harness.crm;
      const ms = finished[index] as number;
      const name =
        index === 0 ? 'salesforce-like (200/call, 25 calls/s)' : 'hubspot-like (100/call, 19 calls/s)';
      console.log(
        `${name}: ${(LEADS / (ms / 1000)).toFixed(0)} leads/s, ${(LEADS / calls.length).toFixed(1)} records per call, ` +
          `${(calls.length / LEADS).toFixed(4)} calls per lead (${calls.length} calls, ${(ms / 1000).toFixed(1)} s from start, consumer join included)`,
      );
    });
    await expectEventually(
      () =>
        assert.ok(
          harnesses.every((harness) => harness.deliveryEvents().length >= LEADS),
          'delivery events pending',
        ),
      { timeoutMs: 120_000 },
    );
  } finally {
    await Promise.all(harnesses.map((harness) => harness.tearDown()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
