import { Kafka, logLevel, Partitioners, type Consumer, type Producer } from 'kafkajs';
import type { BenchRecord, ClientUnderTest } from './bench-clients.client';

/** kafkajs 2.2.4 configured as libs/messaging does (IdempotentProducer, ConsumerRunner's eachBatch). */
export function kafkajsClient(brokers: string[]): ClientUnderTest {
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers, logLevel: logLevel.ERROR });
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  return {
    async connectProducer() {
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
    },
    async send(topic: string, records: BenchRecord[]) {
      await producer?.send({ topic, acks: -1, messages: records });
    },
    async disconnectProducer() {
      await producer?.disconnect();
    },
    async consume(topic, groupId, onRecords) {
      consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => onRecords(batch.messages.length),
      });
    },
    async disconnectConsumer() {
      await consumer?.disconnect();
    },
  };
}
