import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';

export function testBrokers(): string[] {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run integration tests through jest.int.preset.js');
  return brokers.split(',');
}

export function testKafka(clientId = 'test'): Kafka {
  return new Kafka({ clientId, brokers: testBrokers(), logLevel: logLevel.ERROR });
}

export const uniqueName = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/** Creates a topic with exactly this name. */
export async function createTopic(kafka: Kafka, topic: string, partitions = 1): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** Creates a fresh, uniquely named topic (so a test sees only its own records) and returns its name. */
export const createTestTopic = (kafka: Kafka, prefix = 'test', partitions = 1) =>
  createTopic(kafka, uniqueName(prefix), partitions);

// kafkajs' admin does not retry an offset fetch the coordinator answers with a retriable error (its
// offsets still loading, or moved after a broker restart), as it does other requests. The same policy as
// messaging's fetchGroupOffsets, which this library cannot import: messaging's tests import this one.
const retriableAdminCall = retry(
  handleWhen((error) => (error as { retriable?: unknown }).retriable === true),
  { maxAttempts: 5, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }) },
);

/** Committed offset per partition of `topic` for `groupId` (-1 when nothing is committed). */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<Record<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [result] = await retriableAdminCall.execute(() => admin.fetchOffsets({ groupId, topics: [topic] }));
    return Object.fromEntries(
      (result?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]),
    );
  } finally {
    await admin.disconnect();
  }
}

/** A consumed record, decoded for assertions. */
export interface RecordedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

function recorded(topic: string, partition: number, message: KafkaMessage): RecordedMessage {
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [
      name,
      String(Array.isArray(value) ? value[0] : value),
    ]),
  );
  const { offset } = message;
  return {
    topic,
    partition,
    offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}

/** Reads topics from the beginning with a throwaway group, keeping every record it sees. */
export class TopicRecorder {
  readonly records: RecordedMessage[] = [];
  private consumer: Consumer | undefined;

  constructor(private readonly kafka: Kafka) {}

  async start(...topics: string[]): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: uniqueName('recorder'), allowAutoTopicCreation: false });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push(recorded(topic, partition, message));
      },
    });
    return this;
  }

  withKey(key: string): RecordedMessage[] {
    return this.records.filter((record) => record.key === key);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/**
 * Commits the end of each topic for a (stopped) consumer group, so an app started afterwards sees only
 * records produced from now on, not what earlier suites left on shared topics.
 */
export async function skipExistingRecords(kafka: Kafka, groupId: string, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
