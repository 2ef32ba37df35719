import { HEADERS } from '@lead-delivery/contracts';
import {
  TopicRecorder,
  aStandardLead,
  dlqCli,
  expectEventually,
  testKafka,
  uniqueName,
} from '@lead-delivery/testing';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { startGateway, testAccounts, type RunningGateway } from './gateway-fixture';

const accounts = testAccounts();
// A topic that takes small records only, so that a row of a few KiB is refused for good (MESSAGE_TOO_LARGE).
const MAX_MESSAGE_BYTES = 4_096;

describe('outbox relay: a row Kafka refuses for good does not hold up the rows behind it (real Kafka + PostgreSQL)', () => {
  let gateway: RunningGateway;
  let kafka: Kafka;
  let db: Client;
  let topic: string;

  beforeAll(async () => {
    kafka = testKafka('dead-outbox-test');
    topic = uniqueName('dead-outbox-test');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) }],
        },
      ],
    });
    await admin.disconnect();
    gateway = await startGateway(accounts.file);
    db = new Client({ connectionString: gateway.database.url });
    await db.connect();
    await expectEventually(async () =>
      expect((await db.query('SELECT 1 FROM gateway_dead_outbox')).rowCount).toBe(0),
    );
  });

  afterAll(async () => {
    await db?.end();
    await gateway?.close();
  });

  const outboxRow = (key: string, value: string) =>
    db.query('INSERT INTO gateway_outbox (topic, message_key, value, headers) VALUES ($1, $2, $3, $4)', [
      topic,
      key,
      value,
      JSON.stringify({ [HEADERS.accountId]: 'acct-plain', ce_id: key }),
    ]);
  const cli = (...args: string[]) => {
    // The CLI reads the gateway database from DATABASE_URL, as an operator's shell would give it.
    const previous = process.env['DATABASE_URL'];
    process.env['DATABASE_URL'] = gateway.database.url;
    try {
      return dlqCli('outbox', ...args);
    } finally {
      process.env['DATABASE_URL'] = previous;
    }
  };

  it('moves the refused row to the dead outbox, relays the others, keeps the circuit closed; the CLI lists and replays it once', async () => {
    const recorder = await new TopicRecorder(kafka).start(topic);
    try {
      const big = JSON.stringify({
        lead_id: 'big',
        contact: { email: 'jane.doe@example.com' },
        message: 'x'.repeat(8_000),
      });
      await outboxRow('first', '{"lead_id":"first"}');
      await outboxRow('big', big);
      for (const key of ['after-1', 'after-2', 'after-3'])
        await outboxRow(key, JSON.stringify({ lead_id: key }));

      await expectEventually(
        () =>
          expect(recorder.records.map((record) => record.key)).toEqual([
            'first',
            'after-1',
            'after-2',
            'after-3',
          ]),
        { timeoutMs: 30_000 },
      );
      await expectEventually(async () =>
        expect((await db.query('SELECT count(*)::int AS n FROM gateway_outbox')).rows[0].n).toBe(0),
      );
      const dead = await db.query('SELECT id, message_key, reason, replayed_at FROM gateway_dead_outbox');
      expect(dead.rows).toEqual([
        expect.objectContaining({ message_key: 'big', reason: 'MESSAGE_TOO_LARGE', replayed_at: null }),
      ]);
      const deadId = String(dead.rows[0].id);

      // Kafka's circuit is still closed: a lead goes straight to Kafka.
      const response = await gateway.post(aStandardLead(), { apiKey: accounts.keys.plain });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-lead-durable-in')).toBe('kafka');
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/lead_outbox_dead_lettered_total\{reason="MESSAGE_TOO_LARGE",[^}]*\} 1\n/);

      // The CLI lists it without personal data, and shows the lead on request only.
      const list = cli('list', '--json');
      expect(list.status).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([
        expect.objectContaining({
          id: deadId,
          leadId: 'big',
          accountId: 'acct-plain',
          reason: 'MESSAGE_TOO_LARGE',
          replayedAs: null,
        }),
      ]);
      expect(cli('list').stdout).toMatch(/big\s+acct-plain\s+MESSAGE_TOO_LARGE/);
      expect(cli('inspect', deadId).stdout).not.toContain('jane.doe@example.com');
      expect(cli('inspect', deadId, '--show-pii').stdout).toContain('jane.doe@example.com');

      // Once the topic takes larger records, a replay puts the row back in the outbox and the relay sends it.
      const admin = kafka.admin();
      await admin.connect();
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          { type: 2, name: topic, configEntries: [{ name: 'max.message.bytes', value: '1048588' }] },
        ],
      });
      await admin.disconnect();
      const replay = cli('replay', '--json');
      expect(replay.status).toBe(0);
      expect(JSON.parse(replay.stdout)).toMatchObject({
        replayed: [{ id: deadId, leadId: 'big' }],
        alreadyReplayed: 0,
      });
      await expectEventually(() => expect(recorder.withKey('big')).toHaveLength(1), { timeoutMs: 30_000 });

      // Recorded, never repeated.
      expect(JSON.parse(cli('replay', '--json').stdout)).toEqual({ replayed: [], alreadyReplayed: 1 });
      expect(JSON.parse(cli('list', '--json').stdout)[0].replayedAs).toEqual(expect.any(String));
    } finally {
      await recorder.stop();
    }
  });
});
