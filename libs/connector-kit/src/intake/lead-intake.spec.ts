import { HEADERS } from '@lead-delivery/contracts';
import { silentLogger, type ConsumedRecord } from '@lead-delivery/messaging';
import type { KafkaClient, KafkaConsumer } from './kafka-types';
import { LeadIntake } from './lead-intake';

const MAIN = 'leads.enriched.v1';
const RETRY = 'leads.enriched.v1.connector-fake.retry';

type EachBatch = NonNullable<NonNullable<Parameters<KafkaConsumer['run']>[0]>['eachBatch']>;

/** A kafkajs consumer reduced to what the intake (through messaging's GroupConsumer) uses. */
function fakeKafka() {
  let eachBatch: EachBatch | undefined;
  const handlers = new Map<string, (event: { payload: unknown }) => void>();
  const paused: Array<{ topic: string; partitions?: number[] }> = [];
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: (event: string, handler: (event: { payload: unknown }) => void) => void handlers.set(event, handler),
    connect: async () => undefined,
    subscribe: async () => undefined,
    disconnect: jest.fn(async () => undefined),
    run: async (options: { eachBatch: EachBatch }) => void (eachBatch = options.eachBatch),
    commitOffsets: jest.fn(async () => undefined),
    pause: (topics: typeof paused) => void paused.push(...topics),
    resume: () => void paused.splice(0),
  };
  const resolved: string[] = [];
  const fetch = (topic: string, offsets: string[], headers: Record<string, string> = {}, partition = 0) =>
    (eachBatch as EachBatch)({
      batch: {
        topic,
        partition,
        messages: offsets.map((offset) => ({
          offset,
          key: Buffer.from(`lead-${offset}`),
          value: Buffer.from('{}'),
          headers: Object.fromEntries(
            Object.entries(headers).map(([name, value]) => [name, Buffer.from(value)]),
          ),
          timestamp: '0',
        })),
        highWatermark: String(Number(offsets[offsets.length - 1] ?? 0) + 1),
        offsetLag: () => '0',
      },
      heartbeat: async () => undefined,
      resolveOffset: (offset: string) => void resolved.push(`${topic}:${offset}`),
      isRunning: () => true,
      isStale: () => false,
    } as unknown as Parameters<EachBatch>[0]);
  return {
    kafka: { consumer: () => consumer } as unknown as KafkaClient,
    consumer,
    paused,
    resolved,
    fetch,
    join: (assignment: Record<string, number[]>) =>
      handlers.get('consumer.group_join')?.({ payload: { memberAssignment: assignment } }),
  };
}

const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('LeadIntake', () => {
  let fake: ReturnType<typeof fakeKafka>;
  let taken: Array<{ record: ConsumedRecord; settle: () => void }>;
  let inFlight: number[];
  let intake: LeadIntake;

  const start = async (maxInFlight = 100) => {
    intake = new LeadIntake({
      kafka: fake.kafka,
      groupId: 'connector-fake',
      topics: { main: MAIN, retry: RETRY },
      handle: (record, settle) => taken.push({ record, settle }),
      maxInFlight,
      logger: silentLogger,
      onInFlightChange: (count) => inFlight.push(count),
    });
    await intake.start();
  };
  const offsetsTaken = () => taken.map(({ record }) => `${record.topic}:${record.offset}`);

  beforeEach(() => {
    fake = fakeKafka();
    taken = [];
    inFlight = [];
  });

  afterEach(async () => {
    jest.useRealTimers();
    await intake.stop();
  });

  it('hands records over and moves the fetch position without waiting for their outcome', async () => {
    await start();
    await fake.fetch(MAIN, ['0', '1', '2']);

    expect(offsetsTaken()).toEqual([`${MAIN}:0`, `${MAIN}:1`, `${MAIN}:2`]);
    expect(fake.resolved).toEqual([`${MAIN}:0`, `${MAIN}:1`, `${MAIN}:2`]);
    expect(fake.consumer.commitOffsets).not.toHaveBeenCalled();
    expect(intake.status).toMatchObject({ running: true, inFlight: 3, paused: false });
    expect(inFlight).toEqual([3]);
  });

  it('commits the prefix of records whose outcome is durable, as they settle out of order', async () => {
    await start();
    await fake.fetch(MAIN, ['0', '1', '2']);
    taken[2]?.settle();
    taken[0]?.settle();
    await flushed();
    expect(fake.consumer.commitOffsets).toHaveBeenLastCalledWith([
      { topic: MAIN, partition: 0, offset: '1' },
    ]);

    taken[1]?.settle();
    await flushed();
    expect(fake.consumer.commitOffsets).toHaveBeenLastCalledWith([
      { topic: MAIN, partition: 0, offset: '3' },
    ]);
    expect(intake.status.inFlight).toBe(0);
  });

  it('after a rejoin skips the records still in the pipeline, and forgets revoked partitions', async () => {
    await start();
    await fake.fetch(MAIN, ['0', '1']);
    fake.join({ [MAIN]: [0], [RETRY]: [0] });
    await fake.fetch(MAIN, ['0', '1', '2']);
    expect(offsetsTaken()).toEqual([`${MAIN}:0`, `${MAIN}:1`, `${MAIN}:2`]);

    fake.join({ [RETRY]: [0] });
    expect(intake.status.inFlight).toBe(0);
  });

  it('holds a retry-topic partition until its next record is due, without taking that record', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    await start();
    const notBefore = new Date(Date.now() + 5_000).toISOString();
    await fake.fetch(RETRY, ['7', '8'], { [HEADERS.notBefore]: notBefore }, 2);

    expect(taken).toEqual([]);
    expect(fake.resolved).toEqual([]);
    expect(fake.paused).toEqual([{ topic: RETRY, partitions: [2] }]);
    expect(intake.status.waitingRetryPartitions).toBe(1);

    jest.advanceTimersByTime(5_000);
    expect(fake.paused).toEqual([]);
    expect(intake.status.waitingRetryPartitions).toBe(0);
    await fake.fetch(RETRY, ['7'], { [HEADERS.notBefore]: new Date(Date.now() - 1).toISOString() }, 2);
    expect(offsetsTaken()).toEqual([`${RETRY}:7`]);
  });

  it('pauses both topics while the whole CRM is down, and resumes them', async () => {
    await start();
    intake.pause();
    expect(fake.paused).toEqual([{ topic: MAIN }, { topic: RETRY }]);
    expect(intake.status.paused).toBe(true);
    intake.resume();
    expect(fake.paused).toEqual([]);
  });

  it('waits inside the batch, heartbeating, while too many records are in flight', async () => {
    await start(2);
    let fetched = false;
    const fetch = fake.fetch(MAIN, ['0', '1']).then(() => (fetched = true));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(fetched).toBe(false);

    taken[0]?.settle();
    await fetch;
    expect(fetched).toBe(true);
  });

  it('stops taking records once told, and pauses fetching; stop commits what settled and leaves', async () => {
    await start();
    await fake.fetch(MAIN, ['0']);
    intake.stopAccepting();
    expect(fake.paused).toEqual([{ topic: MAIN }, { topic: RETRY }]);
    await fake.fetch(MAIN, ['1']);
    expect(offsetsTaken()).toEqual([`${MAIN}:0`]);

    taken[0]?.settle();
    await intake.stop();
    expect(fake.consumer.commitOffsets).toHaveBeenCalledWith([{ topic: MAIN, partition: 0, offset: '1' }]);
    expect(fake.consumer.disconnect).toHaveBeenCalled();
    expect(intake.status.running).toBe(false);
  });
});
