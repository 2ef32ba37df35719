import {
  Consumer,
  Producer,
  stringDeserializers,
  stringSerializers,
  type MessagesStream,
} from '@platformatic/kafka';
import type { BenchRecord, ClientUnderTest } from './bench-clients.client';

/** @platformatic/kafka with the same guarantees: idempotent producer (acks=all, one request in flight). */
export function platformaticClient(brokers: string[]): ClientUnderTest {
  let producer: Producer<string, string, string, string> | undefined;
  let consumer: Consumer<string, string, string, string> | undefined;
  let stream: MessagesStream<string, string, string, string> | undefined;
  return {
    async connectProducer() {
      producer = new Producer({
        clientId: 'bench-platformatic',
        bootstrapBrokers: brokers,
        idempotent: true,
        acks: -1,
        autocreateTopics: false,
        serializers: stringSerializers,
      });
      await producer.metadata({ topics: [] });
    },
    async send(topic: string, records: BenchRecord[]) {
      await producer?.send({ messages: records.map((record) => ({ topic, ...record })) });
    },
    async disconnectProducer() {
      await producer?.close();
    },
    async consume(topic, groupId, onRecords) {
      consumer = new Consumer({
        clientId: 'bench-platformatic',
        groupId,
        bootstrapBrokers: brokers,
        deserializers: stringDeserializers,
      });
      stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: true });
      stream.on('data', () => onRecords(1));
    },
    async disconnectConsumer() {
      await stream?.close();
      await consumer?.close(true);
    },
  };
}
