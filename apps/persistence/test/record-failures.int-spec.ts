import { CONSUMER_GROUPS, HEADERS, LEAD_RECEIVED_V1, TOPICS, dlqTopicOf } from '@lead-delivery/contracts';
import { KafkaConsumerStallHealth, cloudEventHeaders } from '@lead-delivery/messaging';
import { METRICS_REGISTRY } from '@lead-delivery/observability';
import {
  TopicRecorder,
  anEnhancedLead,
  committedOffsets,
  expectEventually,
  uniqueLeadId,
} from '@lead-delivery/testing';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Registry } from 'prom-client';
import { LeadHistoryWriter } from '../src/ingest/lead-history.writer';
import { PersistenceHarness, receivedEvent } from './persistence-harness';

const DLQ = dlqTopicOf(TOPICS.leadReceived, CONSUMER_GROUPS.persistence);

/** A received-lead record as the gateway would publish it, with a value of the test's choosing. */
function receivedRecord(key: string, value: string) {
  const headers = cloudEventHeaders(
    LEAD_RECEIVED_V1,
    receivedEvent(anEnhancedLead({ lead_id: key })),
    '/gateway',
    {
      accountId: 'acct-austin',
      leadKind: 'enhanced',
    },
  );
  return { topic: TOPICS.leadReceived, key, value, headers };
}

const storedLead = (harness: PersistenceHarness, leadId: string) =>
  expectEventually(async () => {
    const [row] = await harness.query('SELECT lead_id FROM leads WHERE lead_id = $1', [leadId]);
    expect(row).toBeDefined();
  });

/** A TCP proxy to PostgreSQL that the test can unplug (connections cut, new ones refused) and plug back. */
class PostgresLink {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async plug(): Promise<void> {
    const server = createServer((client) => {
      const postgres = connect(5432, '127.0.0.1');
      for (const socket of [client, postgres]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.pipe(postgres).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async unplug(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) =>
      this.server?.listening ? this.server.close(resolve) : resolve(undefined),
    );
  }
}

describe('persistence: records that fail by themselves, and outages', () => {
  const harness = new PersistenceHarness();
  const link = new PostgresLink();
  let deadLetters: TopicRecorder;

  beforeAll(async () => {
    await harness.start({ CONSUMER_RECORD_MAX_ATTEMPTS: '2' });
    deadLetters = await new TopicRecorder(harness.kafka).start(DLQ);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await deadLetters?.stop();
    await harness.stop();
    await link.unplug();
  });

  it('dead-letters poison records with their reason, and stores the good record produced after them', async () => {
    const deep = anEnhancedLead();
    const deepValue = JSON.stringify(receivedEvent(deep)).replace(
      /}$/,
      `,"nested":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
    );
    const overflowing = anEnhancedLead();
    const writeReceived = LeadHistoryWriter.prototype.writeReceived;
    jest.spyOn(LeadHistoryWriter.prototype, 'writeReceived').mockImplementation(function (
      this: LeadHistoryWriter,
      events,
    ) {
      if (events.some((event) => event.lead.lead_id === overflowing.lead_id)) {
        throw new RangeError('Maximum call stack size exceeded');
      }
      return writeReceived.call(this, events);
    });
    const good = anEnhancedLead();
    const notJson = uniqueLeadId();

    await harness.publisher.send(receivedRecord(deep.lead_id, deepValue));
    await harness.publisher.send(receivedRecord(notJson, `{"lead_id": "${notJson}", `));
    await harness.publishReceived(overflowing, { leadKind: 'enhanced' });
    await harness.publishReceived(good, { leadKind: 'enhanced' });

    await storedLead(harness, good.lead_id);
    const keys = [deep.lead_id, notJson, overflowing.lead_id];
    const letters = await expectEventually(() => {
      const ours = deadLetters.records.filter((record) => keys.includes(record.key ?? ''));
      expect(ours).toHaveLength(3);
      return new Map(ours.map((record) => [record.key, record.headers]));
    });
    expect(letters.get(deep.lead_id)).toMatchObject({
      [HEADERS.errorKind]: 'invalid_record',
      [HEADERS.errorReason]: expect.stringMatching(/^value nests deeper than 512 levels at \/nested\/a\/a/),
    });
    expect(letters.get(notJson)).toMatchObject({
      [HEADERS.errorKind]: 'invalid_record',
      [HEADERS.errorReason]: 'value is not JSON',
    });
    expect(letters.get(overflowing.lead_id)).toMatchObject({
      [HEADERS.errorKind]: 'record_failed',
      [HEADERS.errorReason]: 'RangeError: Maximum call stack size exceeded',
      [HEADERS.attempt]: '2',
    });
    await harness.consumedEverything();
    expect(
      await harness.query('SELECT lead_id FROM leads WHERE lead_id = ANY($1)', [
        [deep.lead_id, overflowing.lead_id],
      ]),
    ).toEqual([]);
    for (const lead of [deep, overflowing, good]) expect(harness.logs.text).not.toContain(lead.contact.email);
  });

  it('while PostgreSQL is unreachable, retries without committing or dead-lettering, and shows the stall', async () => {
    jest.restoreAllMocks();
    await link.plug();
    const direct = new URL(harness.database.url);
    const proxied = new URL(harness.database.url);
    proxied.port = String(link.port);
    await harness.app.close();
    await harness.startApp({ DATABASE_URL: proxied.toString(), CONSUMER_STALL_TIMEOUT_MS: '1000' });
    expect(direct.port).not.toBe(proxied.port);

    await link.unplug();
    const lead = anEnhancedLead();
    const lettersBefore = deadLetters.records.length;
    const before = await committedOffsets(harness.kafka, CONSUMER_GROUPS.persistence, TOPICS.leadReceived);
    await harness.publishReceived(lead, { leadKind: 'enhanced' });

    const registry = harness.app.get<Registry>(METRICS_REGISTRY);
    await expectEventually(async () => {
      const metrics = await registry.metrics();
      expect(metrics).toMatch(
        /lead_consumer_handler_failures_total\{[^}]*class="infrastructure"[^}]*\} [1-9]/,
      );
      const stalled = [
        ...metrics.matchAll(
          /lead_consumer_partition_stalled_seconds\{[^}]*topic="leads\.received\.v1"[^}]*\} ([\d.]+)/g,
        ),
      ];
      expect(Math.max(...stalled.map(([, seconds]) => Number(seconds)))).toBeGreaterThan(1);
      await expect(harness.app.get(KafkaConsumerStallHealth).check()).rejects.toThrow(
        /leads\.received\.v1\/\d+ for/,
      );
    });
    // Several attempts later (more than CONSUMER_RECORD_MAX_ATTEMPTS): still nothing committed, nothing dead-lettered.
    expect(await committedOffsets(harness.kafka, CONSUMER_GROUPS.persistence, TOPICS.leadReceived)).toEqual(
      before,
    );
    expect(deadLetters.records).toHaveLength(lettersBefore);

    await link.plug();
    await storedLead(harness, lead.lead_id);
    await harness.consumedEverything();
    await expect(harness.app.get(KafkaConsumerStallHealth).check()).resolves.toMatchObject({
      stallTimeoutMs: 1000,
    });
    expect(deadLetters.records).toHaveLength(lettersBefore);
  });
});
