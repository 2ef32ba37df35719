import { KafkaJSProtocolError, type Kafka } from 'kafkajs';
import { committedOffsets } from './kafka';

const loading = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('The coordinator is loading and hence can not process requests'), {
      type: 'COORDINATOR_LOAD_IN_PROGRESS',
      code: 14,
      retriable: true,
    }),
  );

function kafkaWhoseOffsetFetch(answers: Array<() => unknown>) {
  let calls = 0;
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchOffsets: async () => (answers[calls++] as () => unknown)(),
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, calls: () => calls };
}

describe('committedOffsets', () => {
  const offsets = () => [{ topic: 't', partitions: [{ partition: 0, offset: '7' }] }];

  it('asks again while the coordinator answers with a retriable error', async () => {
    const { kafka, calls } = kafkaWhoseOffsetFetch([
      () => Promise.reject(loading()),
      () => Promise.reject(loading()),
      offsets,
    ]);
    await expect(committedOffsets(kafka, 'g', 't')).resolves.toEqual({ 0: 7 });
    expect(calls()).toBe(3);
  });

  it('does not retry an error that is not retriable', async () => {
    const { kafka, calls } = kafkaWhoseOffsetFetch([
      () => Promise.reject(new Error('unknown group')),
      offsets,
    ]);
    await expect(committedOffsets(kafka, 'g', 't')).rejects.toThrow('unknown group');
    expect(calls()).toBe(1);
  });
});
