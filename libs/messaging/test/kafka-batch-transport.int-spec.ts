import { dlqTopicOf } from '@lead-delivery/contracts';
import {
  committedOffsets,
  createTestTopic,
  createTopic,
  expectEventually,
  testKafka,
  uniqueName,
  TopicRecorder,
} from '@lead-delivery/testing';
import { Controller, Module, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { Kafka } from 'kafkajs';
import {
  EventPublisher,
  PermanentRecordError,
  IdempotentProducer,
  silentLogger,
  type ConsumedRecord,
} from '../src';
import { ConsumeTopic, KafkaBatchContext, connectKafkaConsumer } from '../src/nest-transport';

describe('KafkaBatchTransport: @EventPattern handlers on a real broker', () => {
  let kafka: Kafka;
  let producer: IdempotentProducer;
  let publisher: EventPublisher;
  let app: INestApplication;

  beforeAll(async () => {
    kafka = testKafka('transport-int');
    producer = new IdempotentProducer(kafka);
    await producer.connect();
    publisher = new EventPublisher(producer, { source: '/transport-test' });
  });

  afterAll(async () => {
    await app?.close();
    await producer.disconnect();
  });

  it('commits after the handler resolves, retries when it throws, and dead-letters a PermanentRecordError', async () => {
    const topic = await createTestTopic(kafka, 'transport');
    const groupId = uniqueName('group');
    const dlq = await createTopic(kafka, dlqTopicOf(topic, groupId));
    const handled: string[] = [];
    let transientFailures = 0;
    let heartbeats = 0;

    @Controller()
    class ProbeConsumer {
      @ConsumeTopic(topic)
      async handle(@Payload() records: ConsumedRecord[], @Ctx() context: KafkaBatchContext) {
        await context.heartbeat();
        heartbeats += 1;
        if (transientFailures < 2) {
          transientFailures += 1;
          throw new Error('downstream briefly unavailable');
        }
        const poison = records.find((record) => record.value?.toString() === 'poison');
        if (poison) throw new PermanentRecordError(poison, 'poison value');
        handled.push(...records.map((record) => record.value?.toString() ?? ''));
      }
    }
    @Module({ controllers: [ProbeConsumer] })
    class ProbeModule {}

    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectKafkaConsumer(app, {
      kafka,
      groupId,
      deadLetters: publisher,
      logger: silentLogger,
      retryInitialDelayMs: 50,
      retryMaxDelayMs: 100,
    });
    await app.startAllMicroservices();
    await app.init();

    for (const value of ['one', 'poison', 'three']) {
      await publisher.send({ topic, key: value, value, headers: {} });
    }

    await expectEventually(async () =>
      expect(await committedOffsets(kafka, groupId, topic)).toEqual({ 0: 3 }),
    );
    expect(transientFailures).toBe(2);
    expect(heartbeats).toBeGreaterThanOrEqual(3);
    // The first good record may be handed over again with the batch after the poison one left it.
    expect([...new Set(handled)]).toEqual(['one', 'three']);

    const recorder = await new TopicRecorder(kafka).start(dlq);
    await expectEventually(() => expect(recorder.records.map((record) => record.value)).toEqual(['poison']));
    await recorder.stop();
  });
});
