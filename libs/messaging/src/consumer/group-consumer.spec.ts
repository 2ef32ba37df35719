import type { EachBatchPayload, Kafka } from 'kafkajs';
import { silentLogger } from '../messaging-logger';
import { GroupConsumer, type FetchedBatch, type GroupConsumerOptions } from './group-consumer';

const MAIN = 'leads.enriched.v1';
const RETRY = 'leads.enriched.v1.retry';

/** A kafkajs consumer reduced to what GroupConsumer uses; `fetch` plays one fetched partition batch. */
function fakeKafka() {
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const handlers = new Map<string, (event: { payload: unknown }) => void>();
  const config: Record<string, unknown>[] = [];
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: (event: string, handler: (event: { payload: unknown }) => void) => void handlers.set(event, handler),
    connect: jest.fn(async () => undefined),
    subscribe: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    run: jest.fn(async (options: { eachBatch: typeof eachBatch }) => void (eachBatch = options.eachBatch)),
    commitOffsets: jest.fn(async () => undefined),
    pause: jest.fn(),
    resume: jest.fn(),
  };
  const resolved: string[] = [];
  let running = true;
  const fetch = (topic: string, offsets: string[], highWatermark: string) =>
    (eachBatch as (payload: EachBatchPayload) => Promise<void>)({
      batch: {
        topic,
        partition: 0,
        messages: offsets.map((offset) => ({
          offset,
          key: Buffer.from(`k${offset}`),
          value: Buffer.from(`v${offset}`),
          headers: { 'x-not-before': Buffer.from('2026-01-01T00:00:00Z') },
          timestamp: '0',
        })),
        highWatermark,
        offsetLag: () => '3',
      },
      heartbeat: async () => undefined,
      resolveOffset: (offset: string) => void resolved.push(offset),
      isRunning: () => running,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  const kafka = {
    consumer: (options: Record<string, unknown>) => {
      config.push(options);
      return consumer;
    },
  } as unknown as Kafka;
  return {
    kafka,
    consumer,
    config,
    resolved,
    fetch,
    emit: (event: string, payload: unknown) => handlers.get(event)?.({ payload }),
    stopRunning: () => (running = false),
  };
}

describe('GroupConsumer', () => {
  let fake: ReturnType<typeof fakeKafka>;
  let batches: FetchedBatch[];
  let group: GroupConsumer;

  const start = async (options: Partial<GroupConsumerOptions> = {}) => {
    group = new GroupConsumer({
      kafka: fake.kafka,
      groupId: 'g',
      topics: [MAIN, RETRY],
      logger: silentLogger,
      ...options,
    });
    await group.start(async (batch) => void batches.push(batch));
  };

  beforeEach(() => {
    fake = fakeKafka();
    batches = [];
  });

  it('keeps a session of 10 s unless told otherwise, so that a crashed member is replaced soon', async () => {
    await start();
    expect(fake.config).toEqual([expect.objectContaining({ sessionTimeout: 10_000 })]);
  });

  it("joins with the group's settings: no auto-commit, batches resolved by the strategy, from the beginning", async () => {
    await start({ config: { heartbeatInterval: 3_000, sessionTimeout: 45_000 } });

    expect(fake.config).toEqual([
      expect.objectContaining({
        groupId: 'g',
        allowAutoTopicCreation: false,
        heartbeatInterval: 3_000,
        sessionTimeout: 45_000,
      }),
    ]);
    expect(fake.consumer.subscribe).toHaveBeenCalledWith({ topics: [MAIN, RETRY], fromBeginning: true });
    expect(fake.consumer.run).toHaveBeenCalledWith(
      expect.objectContaining({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
      }),
    );
    expect(group.running).toBe(true);
  });

  it('hands each fetched batch over as consumed records, with its controls', async () => {
    await start();
    await fake.fetch(MAIN, ['5', '6'], '9');

    const [batch] = batches;
    expect(batch).toMatchObject({ topic: MAIN, partition: 0 });
    expect(
      batch?.records.map((record) => [record.offset, record.key, record.headers['x-not-before']]),
    ).toEqual([
      ['5', 'k5', '2026-01-01T00:00:00Z'],
      ['6', 'k6', '2026-01-01T00:00:00Z'],
    ]);
    expect(batch?.offsetLag()).toBe(3);
    batch?.resolveOffset('5');
    expect(fake.resolved).toEqual(['5']);
    expect(batch?.active()).toBe(true);
    fake.stopRunning();
    expect(batch?.active()).toBe(false);
  });

  it('an empty batch reaches nobody', async () => {
    await start();
    await fake.fetch(MAIN, [], '9');
    expect(batches).toEqual([]);
  });

  it('tracks stalls from fetches and commits, on the watched topics only', async () => {
    await start({ watchStalls: (topic) => topic === MAIN });
    await fake.fetch(MAIN, ['5'], '9');
    await fake.fetch(RETRY, ['0'], '4');
    expect(group.progress.stalls()).toEqual([expect.objectContaining({ topic: MAIN, lag: 4 })]);

    await group.commit([{ topic: MAIN, partition: 0, offset: '9' }]);
    expect(fake.consumer.commitOffsets).toHaveBeenCalledWith([{ topic: MAIN, partition: 0, offset: '9' }]);
    expect(group.progress.stalls()).toEqual([
      expect.objectContaining({ topic: MAIN, lag: 0, stalledSeconds: 0 }),
    ]);
  });

  it('forgets revoked partitions on a rejoin and tells the strategy its assignment', async () => {
    const onAssignment = jest.fn();
    await start({ onAssignment });
    await fake.fetch(MAIN, ['5'], '9');
    fake.emit('consumer.group_join', { memberAssignment: { [RETRY]: [0] } });

    expect(onAssignment).toHaveBeenCalledWith({ [RETRY]: [0] });
    expect(group.progress.stalls()).toEqual([]);
  });

  it('reports a crash kafkajs gave up restarting from, not one it restarts after', async () => {
    const onCrash = jest.fn();
    await start({ onCrash });
    fake.emit('consumer.crash', { error: new Error('coordinator lost'), restart: true });
    expect(group.crashed).toBeUndefined();
    expect(onCrash).not.toHaveBeenCalled();
    const final = new Error('gave up');
    fake.emit('consumer.crash', { error: final, restart: false });
    expect(group.crashed).toBe('gave up');
    expect(onCrash).toHaveBeenCalledWith(final);
  });

  it('pauses and resumes topics or partitions', async () => {
    await start();
    group.pause([{ topic: RETRY, partitions: [1] }]);
    group.resume([{ topic: MAIN }]);
    expect(fake.consumer.pause).toHaveBeenCalledWith([{ topic: RETRY, partitions: [1] }]);
    expect(fake.consumer.resume).toHaveBeenCalledWith([{ topic: MAIN }]);
  });

  it('on stop leaves the group, deactivates batches in progress and forgets its progress', async () => {
    await start();
    await fake.fetch(MAIN, ['5'], '9');
    await group.stop();

    expect(fake.consumer.disconnect).toHaveBeenCalled();
    expect(batches[0]?.active()).toBe(false);
    expect(group.running).toBe(false);
    expect(group.progress.stalls()).toEqual([]);
  });
});
