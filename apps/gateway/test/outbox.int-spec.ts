import { LEAD_RECEIVED_V1, topicCatalogue, type LeadReceivedV1 } from '@lead-delivery/contracts';
import { provisionTopics } from '@lead-delivery/messaging';
import {
  DedicatedBroker,
  TopicRecorder,
  aStandardLead,
  expectEventually,
  uniqueLeadId,
} from '@lead-delivery/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { startGateway, testAccounts, type RunningGateway } from './gateway-fixture';

const accounts = testAccounts();

describe('outbox: an accepted lead is never lost while Kafka is down', () => {
  let broker: DedicatedBroker;
  let kafka: Kafka;
  let gateway: RunningGateway;
  const gatewayEnv = () => ({
    KAFKA_BROKERS: broker.brokers,
    KAFKA_ACK_TIMEOUT_MS: '300',
    KAFKA_SHUTDOWN_FLUSH_TIMEOUT_MS: '2000',
  });

  beforeAll(async () => {
    broker = await DedicatedBroker.create('gateway-outbox-test');
    kafka = new Kafka({ clientId: 'outbox-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, topicCatalogue(), { partitions: 3 });
    await admin.disconnect();
    gateway = await startGateway(accounts.file, gatewayEnv());
  });

  afterAll(async () => {
    await gateway?.close();
    await broker?.stop();
  });

  it('answers 200 through the outbox while the broker is stopped, then relays every lead in order once it is back', async () => {
    await broker.stop();
    const leads = Array.from({ length: 25 }, () => aStandardLead({ lead_id: uniqueLeadId('outbox') }));
    const durableIn: string[] = [];
    for (const lead of leads) {
      const response = await gateway.post(lead, { apiKey: accounts.keys.plain });
      expect(response.status).toBe(200);
      durableIn.push(response.headers.get('x-lead-durable-in') ?? '');
    }
    expect(durableIn.every((place) => place === 'outbox')).toBe(true);
    expect(await outboxDepth(gateway.database.url)).toBe(leads.length);

    await broker.start();
    const recorder = await new TopicRecorder(kafka).start(LEAD_RECEIVED_V1.topic);
    await expectEventually(
      () => leads.forEach((lead) => expect(recorder.withKey(lead.lead_id).length).toBeGreaterThanOrEqual(1)),
      { timeoutMs: 60_000 },
    );
    await expectEventually(async () => expect(await outboxDepth(gateway.database.url)).toBe(0));

    // A produce that timed out may still have reached the broker before the relay sent its copy: a lead
    // can appear twice, always with the same CloudEvents id, so consumers (which dedupe by it) store it once.
    for (const lead of leads) {
      const copies = recorder.withKey(lead.lead_id);
      expect(new Set(copies.map((copy) => copy.headers['ce_id'])).size).toBe(1);
      expect(JSON.parse(copies[0]?.value ?? '') as LeadReceivedV1).toMatchObject({
        lead_id: lead.lead_id,
        raw: lead,
      });
      expect(copies[0]?.headers['x-account-id']).toBe('acct-plain');
    }
    // Relayed oldest first: within each partition, leads appear in the order they were accepted.
    for (const partition of [0, 1, 2]) {
      const seen = [
        ...new Set(
          recorder.records.filter((record) => record.partition === partition).map((record) => record.key),
        ),
      ];
      const accepted = leads.map((lead) => lead.lead_id).filter((id) => seen.includes(id));
      expect(seen.filter((id) => accepted.includes(id as string))).toEqual(accepted);
    }
    await recorder.stop();

    // And Kafka is used directly again.
    const after = await gateway.post(aStandardLead(), { apiKey: accounts.keys.plain });
    expect(after.headers.get('x-lead-durable-in')).toBe('kafka');
  });

  it('restarts while Kafka is down: stops without waiting for the broker, is ready again on the outbox alone, and loses nothing', async () => {
    await broker.stop();
    const post = async (count: number) => {
      const leads = Array.from({ length: count }, () => aStandardLead({ lead_id: uniqueLeadId('restart') }));
      for (const lead of leads) {
        const response = await gateway.post(lead, { apiKey: accounts.keys.plain });
        expect(response.status).toBe(200);
      }
      return leads;
    };
    const beforeRestart = await post(10);
    // Let the relay try (and fail) to send the outbox to the stopped broker.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const shutdown = await Promise.race([
      gateway.app.close().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting for Kafka'), 10_000)),
    ]);
    expect(shutdown).toBe('stopped');

    // startGateway waits for readiness: it must come while the broker is still down.
    gateway = await startGateway(accounts.file, gatewayEnv(), { database: gateway.database });
    const ready = await fetch(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      details: { durable_intake: { status: 'up', kafka: 'down', outbox: 'up' } },
    });
    const afterRestart = await post(5);

    await broker.start();
    const recorder = await new TopicRecorder(kafka).start(LEAD_RECEIVED_V1.topic);
    await expectEventually(
      () =>
        [...beforeRestart, ...afterRestart].forEach((lead) =>
          expect(recorder.withKey(lead.lead_id).length).toBeGreaterThanOrEqual(1),
        ),
      { timeoutMs: 60_000 },
    );
    await expectEventually(async () => expect(await outboxDepth(gateway.database.url)).toBe(0));
    await recorder.stop();
  });
});

describe('neither Kafka nor PostgreSQL available', () => {
  it('answers 503 with Retry-After and keeps nothing; readiness fails', async () => {
    const gateway = await startGateway(
      accounts.file,
      {
        KAFKA_BROKERS: '127.0.0.1:1',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
        KAFKA_CONNECTION_TIMEOUT_MS: '200',
        OUTBOX_WRITE_TIMEOUT_MS: '300',
        RETRY_AFTER_SECONDS: '7',
      },
      { waitUntilReady: false },
    );
    try {
      const response = await gateway.post(aStandardLead(), { apiKey: accounts.keys.plain });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toMatchObject({
        type: 'urn:lead-delivery:problem:unavailable',
        status: 503,
      });
      const ready = await fetch(`${gateway.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'error',
        error: { durable_intake: { status: 'down' } },
      });
      // Authentication and validation still answer without the backends.
      expect((await gateway.post({ lead_id: 'x' }, { apiKey: accounts.keys.plain })).status).toBe(422);
    } finally {
      await gateway.close();
    }
  });
});

async function outboxDepth(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM gateway_outbox');
    return Number(rows[0]?.count);
  } finally {
    await client.end();
  }
}
