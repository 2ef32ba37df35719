import { KafkaJSError, KafkaJSNonRetriableError, type Admin } from 'kafkajs';
import { fetchGroupOffsets } from './group-offsets';

const answer = [{ topic: 't', partitions: [{ partition: 0, offset: '7', metadata: null }] }];

function adminAnswering(...outcomes: Array<Error | typeof answer>): { admin: Admin; calls: () => number } {
  let calls = 0;
  const fetchOffsets = async () => {
    const outcome = outcomes[calls++];
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return { admin: { fetchOffsets } as unknown as Admin, calls: () => calls };
}

describe('fetchGroupOffsets', () => {
  it('asks again after a retriable error (a coordinator that is still loading)', async () => {
    const notCoordinator = new KafkaJSError('This is not the correct coordinator for this group', {
      retriable: true,
    });
    const { admin, calls } = adminAnswering(notCoordinator, answer);

    await expect(fetchGroupOffsets(admin, 'g', 't')).resolves.toEqual(answer[0]?.partitions);
    expect(calls()).toBe(2);
  });

  it('fails at once on an error that asking again cannot mend', async () => {
    const { admin, calls } = adminAnswering(new KafkaJSNonRetriableError('Invalid groupId'), answer);

    await expect(fetchGroupOffsets(admin, 'g', 't')).rejects.toThrow('Invalid groupId');
    expect(calls()).toBe(1);
  });
});
