import { HEADERS, LEAD_RECEIVED_V1, dlqTopicOf, type LeadReceivedV1 } from '@lead-delivery/contracts';
import {
  ConsumerRunner,
  EventPublisher,
  IdempotentProducer,
  decodeJson,
  silentLogger,
  type ConsumedRecord,
  type ConsumerRunnerOptions,
} from '../src';
import {
  TopicRecorder,
  aStandardLead,
  committedOffsets,
  createTestTopic,
  createTopic,
  expectEventually,
  testKafka,
  uniqueName,
} from '@lead-delivery/testing';
import type { Kafka } from 'kafkajs';

describe('libs/messaging against a real Kafka broker', () => {
  let kafka: Kafka;
  let producer: IdempotentProducer;
  let publisher: EventPublisher;
  const runners: ConsumerRunner[] = [];

  const startRunner = async (
    topic: string,
    groupId: string,
    handleBatch: (records: ConsumedRecord[]) => Promise<void>,
    options: Partial<ConsumerRunnerOptions> = {},
  ) => {
    const runner = new ConsumerRunner({
      kafka,
      groupId,
      topics: [topic],
      handleBatch,
      deadLetters: publisher,
      logger: silentLogger,
      retryInitialDelayMs: 50,
      retryMaxDelayMs: 200,
      ...options,
    });
    runners.push(runner);
    await runner.start();
    return runner;
  };

  const sendValues = async (topic: string, values: string[]) => {
    for (const [index, value] of values.entries()) {
      await publisher.send({ topic, key: `k${index}`, value, headers: { 'x-test': 'yes' } });
    }
  };

  beforeAll(async () => {
    kafka = testKafka('messaging-int');
    producer = new IdempotentProducer(kafka);
    await producer.connect();
    publisher = new EventPublisher(producer, { source: '/messaging-test' });
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  it('publishes a lead keyed by lead_id with CloudEvents headers, and consumes it intact', async () => {
    const lead = aStandardLead();
    const event: LeadReceivedV1 = { ...lead, warnings: [], raw: { ...lead } };
    await publisher.publish(LEAD_RECEIVED_V1, event, {
      accountId: 'acct-austin',
      leadKind: 'standard',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });

    const seen: ConsumedRecord[] = [];
    await startRunner(LEAD_RECEIVED_V1.topic, uniqueName('group'), async (records) => {
      seen.push(...records.filter((record) => record.key === lead.lead_id));
    });

    const [record] = await expectEventually(() => {
      expect(seen).toHaveLength(1);
      return seen;
    });
    expect(record?.headers).toMatchObject({
      [HEADERS.ceSpecVersion]: '1.0',
      [HEADERS.ceType]: LEAD_RECEIVED_V1.type,
      [HEADERS.ceSource]: '/messaging-test',
      [HEADERS.ceSubject]: lead.lead_id,
      [HEADERS.contentType]: 'application/json',
      [HEADERS.accountId]: 'acct-austin',
      [HEADERS.leadKind]: 'standard',
    });
    expect(record?.headers[HEADERS.ceId]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(record?.headers[HEADERS.ceTime] as string).getTime()).not.toBeNaN();
    expect(record?.headers[HEADERS.traceparent]).toMatch(
      /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/,
    );
    expect(decodeJson<LeadReceivedV1>(record as ConsumedRecord)).toEqual(event);
  });

  it('commits offsets only after the handler succeeds, retrying a batch in place while a dependency is down', async () => {
    const topic = await createTestTopic(kafka, 'commit-after-success');
    const groupId = uniqueName('group');
    await sendValues(topic, ['"a"', '"b"', '"c"']);

    let calls = 0;
    const offsetsWhileFailing: Array<Record<number, number>> = [];
    const handled: string[] = [];
    await startRunner(topic, groupId, async (records) => {
      calls += 1;
      if (calls <= 2) {
        offsetsWhileFailing.push(await committedOffsets(kafka, groupId, topic));
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      handled.push(...records.map((record) => record.offset));
    });

    await expectEventually(async () =>
      expect(await committedOffsets(kafka, groupId, topic)).toEqual({ 0: 3 }),
    );
    expect(offsetsWhileFailing).toEqual([{ 0: -1 }, { 0: -1 }]);
    expect(handled).toEqual(['0', '1', '2']);
  });

  it('never commits while a dependency is down, and a restarted consumer gets every record again', async () => {
    const topic = await createTestTopic(kafka, 'no-commit-on-failure');
    const groupId = uniqueName('group');
    await sendValues(topic, ['1', '2', '3']);

    let failures = 0;
    const failing = await startRunner(topic, groupId, async () => {
      failures += 1;
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    });
    await expectEventually(() => expect(failures).toBeGreaterThanOrEqual(3));
    expect(failing.status.failingSince).toBeInstanceOf(Date);
    await failing.stop();
    expect(await committedOffsets(kafka, groupId, topic)).toEqual({ 0: -1 });

    const redelivered: string[] = [];
    await startRunner(topic, groupId, async (records) => {
      redelivered.push(...records.map((record) => record.value?.toString() ?? ''));
    });
    await expectEventually(async () =>
      expect(await committedOffsets(kafka, groupId, topic)).toEqual({ 0: 3 }),
    );
    expect(redelivered).toEqual(['1', '2', '3']);
  });

  it('fetches ahead while batches are handled, keeps each partition in order, and loses nothing when a member joins', async () => {
    const partitions = 4;
    const topic = await createTestTopic(kafka, 'fetch-ahead', partitions);
    const groupId = uniqueName('group');
    const perPartition = 150;
    const messages = Array.from({ length: partitions * perPartition }, (_, index) => ({
      value: String(index),
      partition: index % partitions,
    }));
    const seeder = kafka.producer();
    await seeder.connect();
    await seeder.send({ topic, messages });
    await seeder.disconnect();

    // Per partition, the offsets in the order they were first handled (a rebalance may hand some out again).
    const firstHandled = new Map<number, string[]>();
    const seen = new Set<string>();
    const handle = async (records: ConsumedRecord[]) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const { partition, offset } of records) {
        if (seen.has(`${partition}/${offset}`)) continue;
        seen.add(`${partition}/${offset}`);
        firstHandled.set(partition, [...(firstHandled.get(partition) ?? []), offset]);
      }
    };
    // Small fetches and calls: many batches per partition, several fetched ahead of the one being handled.
    const options = {
      partitionsConsumedConcurrently: 2,
      maxRecordsPerCall: 10,
      fetch: { maxBytesPerPartition: 1_024, maxBytes: 4_096 },
    };
    await startRunner(topic, groupId, handle, options);
    await expectEventually(() => expect(seen.size).toBeGreaterThan(50));
    await startRunner(topic, groupId, handle, options);

    await expectEventually(
      async () =>
        expect(await committedOffsets(kafka, groupId, topic)).toEqual({ 0: 150, 1: 150, 2: 150, 3: 150 }),
      { timeoutMs: 60_000 },
    );
    const inOrder = Array.from({ length: perPartition }, (_, offset) => String(offset));
    for (let partition = 0; partition < partitions; partition += 1) {
      expect(firstHandled.get(partition)).toEqual(inOrder);
    }
  });

  it('moves an undecodable record to the group DLQ with the reason, and commits past it', async () => {
    const topic = await createTestTopic(kafka, 'poison');
    const groupId = uniqueName('group');
    const dlq = await createTopic(kafka, dlqTopicOf(topic, groupId));
    await sendValues(topic, ['{"ok":1}', 'not json {', '{"ok":3}']);

    const decoded: unknown[] = [];
    await startRunner(topic, groupId, async (records) => {
      decoded.push(...records.map((record) => decodeJson(record)));
    });
    await expectEventually(async () =>
      expect(await committedOffsets(kafka, groupId, topic)).toEqual({ 0: 3 }),
    );
    expect(decoded).toEqual([{ ok: 1 }, { ok: 3 }]);

    const recorder = await new TopicRecorder(kafka).start(dlq);
    const [dead] = await expectEventually(() => {
      expect(recorder.records).toHaveLength(1);
      return recorder.records;
    });
    await recorder.stop();
    expect(dead?.value).toBe('not json {');
    expect(dead?.key).toBe('k1');
    expect(dead?.headers).toMatchObject({
      'x-test': 'yes',
      [HEADERS.errorKind]: 'invalid_record',
      [HEADERS.originalTopic]: topic,
      [HEADERS.originalPartition]: '0',
      [HEADERS.originalOffset]: '1',
      [HEADERS.consumerGroup]: groupId,
    });
    expect(dead?.headers[HEADERS.errorReason]).toMatch(/not JSON/);
  });

  it('loses no record sent after a produce request that failed for one of its partitions', async () => {
    // One request to partitions 0 and 1: the broker appends partition 0's record and refuses partition 1's
    // (over message.max.bytes), so the whole send fails although one record is stored.
    const topic = await createTestTopic(kafka, 'partly-refused', 2);
    const recorder = await new TopicRecorder(kafka).start(topic);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic, messages: [{ partition: 0, value: 'a' }] }],
    });
    await expect(
      producer.sendBatch({
        acks: -1,
        topicMessages: [
          {
            topic,
            messages: [
              { partition: 0, value: 'b' },
              { partition: 1, value: Buffer.alloc(1_200_000) },
            ],
          },
        ],
      }),
    ).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });

    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic, messages: [{ partition: 0, value: 'c' }] }],
    });
    await publisher.send({ topic, key: 'after', value: 'd', headers: {} });

    await expectEventually(() =>
      expect(recorder.records.map((record) => record.value).sort()).toEqual(['a', 'b', 'c', 'd']),
    );
    await recorder.stop();
  });
});
