import { randomBytes } from 'node:crypto';
import { loadConfig } from '@lead-delivery/config';
import { expectEventually, uniqueName } from '@lead-delivery/testing';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type Kafka,
} from 'kafkajs';
import {
  ConsumerRunner,
  EventPublisher,
  KafkaConfig,
  KafkaHealthCheck,
  IdempotentProducer,
  createKafkaClient,
  silentLogger,
  type ConsumedRecord,
} from '../src';
import { SaslBroker } from './sasl-broker';

/** A client built the way every app builds it: KafkaConfig validated from the environment. */
const appKafka = (env: Record<string, string>): Kafka =>
  createKafkaClient(loadConfig({ kafka: KafkaConfig }, env).kafka, 'sasl-int', silentLogger);

const allow = (
  resourceType: AclResourceTypes,
  resourceName: string,
  principal: string,
  operation: AclOperationTypes,
) => ({
  resourceType,
  resourceName,
  resourcePatternType: ResourcePatternTypes.LITERAL,
  principal,
  host: '*',
  operation,
  permissionType: AclPermissionTypes.ALLOW,
});

describe('libs/messaging against a broker that requires SCRAM-SHA-512 and ACLs', () => {
  const broker = new SaslBroker();
  const user = uniqueName('lead-app');
  const password = randomBytes(18).toString('hex');
  const ownTopic = uniqueName('sasl-own');
  const foreignTopic = uniqueName('sasl-foreign');
  const groupId = uniqueName('sasl-group');
  let appEnv: Record<string, string>;
  let admin: Admin;
  let producer: IdempotentProducer | undefined;
  let runner: ConsumerRunner | undefined;
  let health: KafkaHealthCheck | undefined;

  // The rights a KafkaUser grants an app: its topic (write and read) and its consumer group.
  const appAcls = () => [
    allow(AclResourceTypes.TOPIC, ownTopic, `User:${user}`, AclOperationTypes.WRITE),
    allow(AclResourceTypes.TOPIC, ownTopic, `User:${user}`, AclOperationTypes.READ),
    allow(AclResourceTypes.GROUP, groupId, `User:${user}`, AclOperationTypes.READ),
  ];

  beforeAll(async () => {
    broker.start();
    admin = appKafka(broker.superUserEnv).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: ownTopic }, { topic: foreignTopic }],
    });
    broker.addUser(user, password);
    await admin.createAcls({ acl: appAcls() });
    // The controller has committed them; wait until the broker has applied them (and so the user's
    // credentials, which come earlier in the metadata log).
    await expectEventually(async () => {
      const { resources } = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        principal: `User:${user}`,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      expect(resources.flatMap((resource) => resource.acls)).toHaveLength(appAcls().length);
    });
    appEnv = {
      KAFKA_BROKERS: broker.brokers,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: user,
      KAFKA_SASL_PASSWORD: password,
    };
  });

  afterEach(async () => {
    await runner?.stop();
    await producer?.disconnect();
    await health?.onApplicationShutdown();
    runner = undefined;
    producer = undefined;
    health = undefined;
  });

  afterAll(async () => {
    try {
      await admin?.disconnect();
    } finally {
      broker.stop();
    }
  });

  const connectedPublisher = async (kafka: Kafka) => {
    producer = new IdempotentProducer(kafka);
    await producer.connect();
    return new EventPublisher(producer, { source: '/sasl-int' });
  };

  it('lets an app user with ACLs produce to and consume from its topic, and commit its offsets', async () => {
    const kafka = appKafka(appEnv);
    health = new KafkaHealthCheck(kafka);
    await expect(health.check()).resolves.toEqual(expect.objectContaining({ brokers: 1 }));

    const publisher = await connectedPublisher(kafka);
    const values = ['first', 'second', 'third'];
    for (const [index, value] of values.entries()) {
      await publisher.send({ topic: ownTopic, key: `k${index}`, value, headers: {} });
    }

    const seen: ConsumedRecord[] = [];
    runner = new ConsumerRunner({
      kafka,
      groupId,
      topics: [ownTopic],
      handleBatch: async (records) => {
        seen.push(...records);
      },
      deadLetters: publisher,
      logger: silentLogger,
    });
    await runner.start();

    await expectEventually(() => expect(seen.map((record) => record.value?.toString())).toEqual(values));
    await expectEventually(async () => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [ownTopic] });
      expect(committed?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '3' })]);
    });
  });

  it('refuses a produce to a topic the user has no ACL for, and nothing is written', async () => {
    const publisher = await connectedPublisher(appKafka(appEnv));

    await expect(
      publisher.send({ topic: foreignTopic, key: 'k', value: 'not allowed', headers: {} }),
    ).rejects.toMatchObject({ cause: { type: 'TOPIC_AUTHORIZATION_FAILED' } });
    expect(await admin.fetchTopicOffsets(foreignTopic)).toEqual([
      expect.objectContaining({ partition: 0, high: '0' }),
    ]);
  });

  it('refuses a wrong password when the client connects', async () => {
    producer = new IdempotentProducer(appKafka({ ...appEnv, KAFKA_SASL_PASSWORD: `not-${password}` }));

    await expect(producer.connect()).rejects.toMatchObject({
      name: 'KafkaJSSASLAuthenticationError',
      message: expect.stringContaining('invalid credentials'),
    });
  });
});
