import { identityHash } from '@lead-delivery/contracts';
import type { MessagingLogger } from '@lead-delivery/messaging';
import { anEnrichedLead } from '@lead-delivery/testing';
import type { KafkaClient, KafkaConsumer } from '../intake/kafka-types';
import { SuppressedIdentities } from './suppressed-identities';
import { SuppressionFeed } from './suppression-feed';

const TOPIC = 'identities.suppressed.v1';
const KEY = 'unit-erasure-hash-key-0123456789abcdef';

type EachBatch = NonNullable<NonNullable<Parameters<KafkaConsumer['run']>[0]>['eachBatch']>;

/** A kafkajs client reduced to what the feed (through messaging's GroupConsumer) uses. */
function fakeKafka(high: string) {
  let eachBatch: EachBatch | undefined;
  const handlers = new Map<string, (event: { payload: unknown }) => void>();
  const groups: string[] = [];
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: (event: string, handler: (event: { payload: unknown }) => void) => void handlers.set(event, handler),
    connect: async () => undefined,
    subscribe: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    run: async (options: { eachBatch: EachBatch }) => void (eachBatch = options.eachBatch),
    commitOffsets: jest.fn(async () => undefined),
  };
  const admin = {
    connect: async () => undefined,
    disconnect: jest.fn(async () => undefined),
    fetchTopicOffsets: jest.fn(async () => [{ partition: 0, low: '0', high }]),
  };
  const resolved: string[] = [];
  const fetch = (values: Array<string | null>, firstOffset: number) =>
    (eachBatch as EachBatch)({
      batch: {
        topic: TOPIC,
        partition: 0,
        messages: values.map((value, index) => ({
          offset: String(firstOffset + index),
          key: null,
          value: value === null ? null : Buffer.from(value),
          headers: {},
          timestamp: '0',
        })),
        highWatermark: String(firstOffset + values.length),
        offsetLag: () => '0',
      },
      heartbeat: async () => undefined,
      resolveOffset: (offset: string) => void resolved.push(offset),
      isRunning: () => true,
      isStale: () => false,
    } as unknown as Parameters<EachBatch>[0]);
  const kafka = {
    admin: () => admin,
    consumer: (options: { groupId: string }) => {
      groups.push(options.groupId);
      return consumer;
    },
  } as unknown as KafkaClient;
  return {
    kafka,
    consumer,
    admin,
    groups,
    resolved,
    fetch,
    consuming: () => eachBatch !== undefined,
    crash: (error: Error, restart: boolean) =>
      handlers.get('consumer.crash')?.({ payload: { error, restart } }),
  };
}

const settled = async (promise: Promise<unknown>) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 20))]);

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('SuppressionFeed', () => {
  const lead = anEnrichedLead('acct-1');
  const email = lead.enrichment.normalized.email as string;
  const suppressionOf = (address: string) =>
    JSON.stringify({
      identity_hash: identityHash(KEY, 'email', address),
      kind: 'email',
      account_id: 'acct-1',
      erasure_id: 'e-1',
      suppressed_until: '2999-01-01T00:00:00Z',
    });
  let warnings: Array<Record<string, unknown>>;
  const logger = {
    info: () => undefined,
    warn: (fields: Record<string, unknown>) => void warnings.push(fields),
    error: () => undefined,
  } as unknown as MessagingLogger;
  const feedOf = (kafka: KafkaClient) =>
    new SuppressionFeed({
      kafka,
      group: 'connector-fake',
      identities: new SuppressedIdentities(KEY),
      logger,
    });

  beforeEach(() => {
    warnings = [];
  });

  it('reads the whole topic in a group of its own that commits nothing, and starts once caught up', async () => {
    const fake = fakeKafka('3');
    const feed = feedOf(fake.kafka);
    const started = feed.start();
    await until(fake.consuming);

    expect(fake.consumer.subscribe).toHaveBeenCalledWith({ topics: [TOPIC], fromBeginning: true });
    await fake.fetch([suppressionOf('other@example.com'), suppressionOf('third@example.com')], 0);
    expect(await settled(started)).toBe(false);
    expect(feed.status).toMatchObject({ running: true, caughtUp: false, suppressed: 2 });

    await fake.fetch([suppressionOf(email)], 2);
    await started;
    expect(feed.identities.covers(lead)).toBe(true);
    expect(feed.status).toMatchObject({ caughtUp: true, suppressed: 3 });
    expect(fake.resolved).toEqual(['0', '1', '2']);
    expect(fake.consumer.commitOffsets).not.toHaveBeenCalled();

    const replica = fakeKafka('0');
    await feedOf(replica.kafka).start();
    expect(fake.groups).toEqual([expect.stringMatching(/^connector-fake-suppression-[0-9a-f-]{36}$/)]);
    expect(replica.groups[0]).toMatch(/^connector-fake-suppression-/);
    expect(replica.groups[0]).not.toBe(fake.groups[0]);
  });

  it('keeps reading after start: a later suppression applies', async () => {
    const fake = fakeKafka('0');
    const feed = feedOf(fake.kafka);
    await feed.start();
    expect(feed.identities.covers(lead)).toBe(false);

    await fake.fetch([suppressionOf(email)], 0);
    expect(feed.identities.covers(lead)).toBe(true);
  });

  it('skips an unreadable record with a warning that names it, and applies the others', async () => {
    const fake = fakeKafka('3');
    const feed = feedOf(fake.kafka);
    const started = feed.start();
    await until(fake.consuming);
    await fake.fetch(['{"identity_hash":"x"', null, suppressionOf(email)], 0);
    await started;

    expect(feed.identities.covers(lead)).toBe(true);
    expect(warnings).toEqual([
      { topic: TOPIC, partition: 0, offset: '0', reason: 'value is not JSON' },
      { topic: TOPIC, partition: 0, offset: '1', reason: 'empty value' },
    ]);
  });

  it('does not start when stopped, or crashed for good, before it caught up', async () => {
    const stopped = fakeKafka('5');
    const feed = feedOf(stopped.kafka);
    const starting = feed.start();
    await until(stopped.consuming);
    await feed.stop();
    await expect(starting).rejects.toThrow('suppression feed stopped before it had read the whole topic');
    expect(stopped.consumer.disconnect).toHaveBeenCalled();

    const crashing = fakeKafka('5');
    const crashed = feedOf(crashing.kafka);
    const crashedStart = crashed.start();
    await until(crashing.consuming);
    crashing.crash(new Error('coordinator lost'), true);
    expect(await settled(crashedStart)).toBe(false);
    crashing.crash(new Error('not authorised'), false);
    await expect(crashedStart).rejects.toThrow('suppression feed crashed: not authorised');
    expect(crashed.status).toMatchObject({ crashed: 'not authorised' });
  });
});
