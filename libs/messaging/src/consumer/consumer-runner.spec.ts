import { HEADERS } from '@lead-delivery/contracts';
import { expectEventually } from '@lead-delivery/testing';
import { KafkaJSConnectionError, KafkaJSProtocolError, type EachBatchPayload, type Kafka } from 'kafkajs';
import { silentLogger } from '../messaging-logger';
import type { EventPublisher, OutgoingRecord } from '../producer/event-publisher';
import type { ConsumedRecord } from './consumed-record';
import { noopObserver } from './consumer-observer';
import { ConsumerRunner, type BatchHandler, type ConsumerRunnerOptions } from './consumer-runner';
import { PermanentRecordError } from './permanent-record.error';

const TOPIC = 'leads.received.v1';
const GROUP = 'persistence';

/**
 * A kafkajs consumer reduced to what the runner uses. `handOff` plays one fetched partition batch and
 * resolves when kafkajs could fetch again; `deliver` also waits until the runner committed the whole batch.
 */
function fakeKafka() {
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const commits: string[] = [];
  const seeks: string[] = [];
  const resolved: string[] = [];
  let failCommits = 0;
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: () => undefined,
    connect: async () => undefined,
    subscribe: async () => undefined,
    disconnect: async () => undefined,
    run: async (options: { eachBatch: typeof eachBatch }) => void (eachBatch = options.eachBatch),
    commitOffsets: async (offsets: Array<{ offset: string }>) => {
      if (failCommits > 0 && failCommits--) throw new KafkaJSConnectionError('Connection error: ECONNRESET');
      commits.push(...offsets.map(({ offset }) => offset));
    },
    seek: ({ offset }: { offset: string }) => void seeks.push(offset),
  };
  const handOff = (values: string[], firstOffset = 0) => {
    const messages = values.map((value, index) => ({
      offset: String(firstOffset + index),
      key: Buffer.from(`k${index}`),
      value: Buffer.from(value),
      headers: {},
      timestamp: '0',
    }));
    const payload = {
      batch: {
        topic: TOPIC,
        partition: 0,
        messages,
        highWatermark: String(firstOffset + values.length),
        offsetLag: () => '0',
      },
      heartbeat: async () => undefined,
      resolveOffset: (offset: string) => void resolved.push(offset),
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload;
    return (eachBatch as (payload: EachBatchPayload) => Promise<void>)(payload);
  };
  const deliver = async (values: string[], firstOffset = 0) => {
    await handOff(values, firstOffset);
    const end = String(firstOffset + values.length);
    await expectEventually(() => expect(commits).toContain(end), { timeoutMs: 5_000, intervalMs: 2 });
  };
  const failNextCommits = (count: number) => void (failCommits = count);
  return {
    kafka: { consumer: () => consumer } as unknown as Kafka,
    commits,
    seeks,
    resolved,
    handOff,
    deliver,
    failNextCommits,
  };
}

function fakePublisher(failFirst = 0) {
  const sent: OutgoingRecord[] = [];
  let failures = 0;
  const publisher = {
    send: async (record: OutgoingRecord) => {
      if (failures++ < failFirst) throw new KafkaJSConnectionError('Connection error: ECONNREFUSED');
      sent.push(record);
    },
  } as unknown as EventPublisher;
  return { publisher, sent };
}

async function startedRunner(handleBatch: BatchHandler, options: Partial<ConsumerRunnerOptions> = {}) {
  const kafka = fakeKafka();
  const dlq = fakePublisher();
  const runner = new ConsumerRunner({
    kafka: kafka.kafka,
    groupId: GROUP,
    topics: [TOPIC],
    handleBatch,
    deadLetters: dlq.publisher,
    logger: silentLogger,
    retryInitialDelayMs: 1,
    retryMaxDelayMs: 5,
    ...options,
  });
  await runner.start();
  return { runner, ...kafka, dlq: options.deadLetters ? undefined : dlq };
}

const values = (records: ConsumedRecord[]) => records.map((record) => record.value?.toString() ?? '');
const messageTooLarge = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('The request included a message larger than the max message size'), {
      type: 'MESSAGE_TOO_LARGE',
      code: 10,
      retriable: false,
    }),
  );
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('ConsumerRunner', () => {
  it('isolates the record that makes the handler throw: the others are handled, it is dead-lettered after its attempts', async () => {
    const handled: string[] = [];
    let poisonAttempts = 0;
    const { deliver, commits, dlq } = await startedRunner(async (records) => {
      if (values(records).includes('poison')) {
        if (records.length === 1) poisonAttempts += 1;
        throw new RangeError('Maximum call stack size exceeded');
      }
      handled.push(...values(records));
    });

    await deliver(['a', 'b', 'poison', 'c', 'd', 'e']);

    expect(handled).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(poisonAttempts).toBe(3);
    expect(dlq?.sent).toHaveLength(1);
    expect(dlq?.sent[0]).toMatchObject({
      topic: `${TOPIC}.dlq.${GROUP}`,
      value: Buffer.from('poison'),
      headers: {
        [HEADERS.errorKind]: 'record_failed',
        [HEADERS.errorReason]: 'RangeError: Maximum call stack size exceeded',
        [HEADERS.attempt]: '3',
        [HEADERS.originalOffset]: '2',
      },
    });
    expect(commits[commits.length - 1]).toBe('6');
    // Commits only move forward, and never past a record before it is handled or dead-lettered.
    expect(commits.map(Number)).toEqual([...commits.map(Number)].sort((a, b) => a - b));
  });

  it('honours the configured number of attempts', async () => {
    let attempts = 0;
    const { deliver, dlq } = await startedRunner(
      async () => {
        attempts += 1;
        throw new TypeError("Cannot read properties of undefined (reading 'email')");
      },
      { maxRecordAttempts: 5 },
    );
    await deliver(['bad']);
    expect(attempts).toBe(5);
    expect(dlq?.sent[0]?.headers[HEADERS.errorReason]).toBe(
      "TypeError: Cannot read properties of undefined (reading 'email')",
    );
  });

  it('retries an infrastructure failure in place, whole batch, beyond any attempt limit, committing nothing meanwhile', async () => {
    const calls: string[][] = [];
    const commitsWhileFailing: number[] = [];
    const kafka = fakeKafka();
    const { publisher, sent } = fakePublisher();
    const runner = new ConsumerRunner({
      kafka: kafka.kafka,
      groupId: GROUP,
      topics: [TOPIC],
      deadLetters: publisher,
      logger: silentLogger,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 5,
      handleBatch: async (records) => {
        calls.push(values(records));
        if (calls.length <= 6) {
          commitsWhileFailing.push(kafka.commits.length);
          throw refused();
        }
      },
    });
    await runner.start();

    await kafka.deliver(['a', 'b', 'c']);

    expect(calls).toEqual(Array.from({ length: 7 }, () => ['a', 'b', 'c']));
    expect(commitsWhileFailing).toEqual([0, 0, 0, 0, 0, 0]);
    expect(sent).toEqual([]);
    expect(kafka.commits).toEqual(['3']);
    expect(runner.status.failingSince).toBeUndefined();
  });

  it('takes the dependency classifiers into account', async () => {
    let calls = 0;
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const { deliver, dlq, commits } = await startedRunner(
      async () => {
        calls += 1;
        if (calls <= 4) throw shutdown;
      },
      {
        classifiers: [
          (error) => ((error as { code?: string }).code === '57P01' ? 'infrastructure' : undefined),
        ],
      },
    );
    await deliver(['a']);
    expect(calls).toBe(5);
    expect(dlq?.sent).toEqual([]);
    expect(commits).toEqual(['1']);
  });

  it('dead-letters a PermanentRecordError record at once and hands the others back', async () => {
    const handled: string[] = [];
    const { deliver, dlq } = await startedRunner(async (records) => {
      const bad = records.find((record) => record.value?.toString() === 'not json');
      if (bad) throw new PermanentRecordError(bad, 'value is not JSON');
      handled.push(...values(records));
    });
    await deliver(['a', 'not json', 'b']);
    expect(handled).toEqual(['a', 'b']);
    expect(dlq?.sent.map((record) => record.headers[HEADERS.errorKind])).toEqual(['invalid_record']);
  });

  it('keeps trying to write a dead letter while the broker is down, and commits only once it is written', async () => {
    const kafka = fakeKafka();
    const { publisher, sent } = fakePublisher(4);
    const runner = new ConsumerRunner({
      kafka: kafka.kafka,
      groupId: GROUP,
      topics: [TOPIC],
      deadLetters: publisher,
      logger: silentLogger,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 5,
      handleBatch: async (records) => {
        const bad = records[0] as ConsumedRecord;
        throw new PermanentRecordError(bad, 'value is not JSON');
      },
    });
    await runner.start();
    await kafka.deliver(['not json']);
    expect(sent).toHaveLength(1);
    expect(kafka.commits).toEqual(['1']);
  });

  it('sends a dead letter the broker refuses for its size without its value, counts it, and moves on', async () => {
    const kafka = fakeKafka();
    const sent: OutgoingRecord[] = [];
    const publisher = {
      send: async (record: OutgoingRecord) => {
        if (record.value.length > 100) throw messageTooLarge();
        sent.push(record);
      },
    } as unknown as EventPublisher;
    const omitted: string[] = [];
    const runner = new ConsumerRunner({
      kafka: kafka.kafka,
      groupId: GROUP,
      topics: [TOPIC],
      deadLetters: publisher,
      logger: silentLogger,
      observer: { ...noopObserver, deadLetterValueOmitted: (topic) => omitted.push(topic) },
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 5,
      handleBatch: async (records) => {
        throw new PermanentRecordError(records[0] as ConsumedRecord, 'value nests too deep');
      },
    });
    await runner.start();

    await kafka.deliver(['['.repeat(500)]);

    expect(sent).toHaveLength(1);
    expect(JSON.parse(String(sent[0]?.value))).toEqual({
      omitted: 'value too large for the DLQ',
      bytes: 500,
    });
    expect(sent[0]?.headers).toMatchObject({
      [HEADERS.valueOmitted]: 'MESSAGE_TOO_LARGE',
      [HEADERS.errorKind]: 'invalid_record',
      [HEADERS.originalOffset]: '0',
    });
    expect(omitted).toEqual([`${TOPIC}.dlq.${GROUP}`]);
    expect(kafka.commits).toEqual(['1']);
  });

  it('reports a partition stalled while its handler is blocked, and clears it once the offset moves', async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const { runner, deliver } = await startedRunner(() => blocked, { stallTimeoutMs: 50 });

    const batch = deliver(['a', 'b']);
    const [stall] = await expectEventually(
      () => {
        expect(runner.status.stalled).toHaveLength(1);
        return runner.status.stalled;
      },
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    expect(stall).toMatchObject({ topic: TOPIC, partition: 0, lag: 2 });
    expect(stall?.stalledSeconds).toBeGreaterThan(0.05);

    release();
    await batch;
    expect(runner.status.stalled).toEqual([]);
  });

  it('hands a batch off: kafkajs fetches again while the handler works, and the commit waits for the handler', async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const { handOff, commits, resolved } = await startedRunner(() => blocked);

    await handOff(['a', 'b']);
    expect(resolved).toEqual(['1']);
    expect(commits).toEqual([]);

    release();
    await expectEventually(() => expect(commits).toEqual(['2']), { timeoutMs: 5_000, intervalMs: 2 });
  });

  it('handles the batches of a partition in fetch order, one at a time, however many slots there are', async () => {
    const handled: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const { handOff, deliver } = await startedRunner(
      async (records) => {
        mostAtOnce = Math.max(mostAtOnce, (running += 1));
        await new Promise((resolve) => setTimeout(resolve, 5));
        handled.push(...values(records));
        running -= 1;
      },
      { partitionsConsumedConcurrently: 3 },
    );

    await handOff(['a', 'b'], 0);
    await handOff(['c'], 2);
    await deliver(['d', 'e'], 3);

    expect(handled).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(mostAtOnce).toBe(1);
  });

  it('waits to take more once a whole fetch of batches waits behind the running ones', async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const { handOff, commits } = await startedRunner(() => blocked);

    await handOff(['a'], 0); // running
    await handOff(['b'], 1); // waiting: one slot's worth
    let third = false;
    const taken = handOff(['c'], 2).then(() => (third = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBe(false);

    release();
    await taken;
    await expectEventually(() => expect(commits).toContain('3'), { timeoutMs: 5_000, intervalMs: 2 });
  });

  it('drops what waits behind a batch whose commit failed, and fetches the partition again after what it settled', async () => {
    const handled: string[] = [];
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const kafka = await startedRunner(async (records) => {
      if (values(records).includes('a')) await blocked;
      handled.push(...values(records));
    });
    kafka.failNextCommits(1);

    await kafka.handOff(['a', 'b'], 0);
    await kafka.handOff(['c'], 2);
    release();

    await expectEventually(() => expect(kafka.seeks).toEqual(['2']), { timeoutMs: 5_000, intervalMs: 2 });
    expect(handled).toEqual(['a', 'b']);
    expect(kafka.commits).toEqual([]);

    await kafka.deliver(['c'], 2);
    expect(handled).toEqual(['a', 'b', 'c']);
  });
});
