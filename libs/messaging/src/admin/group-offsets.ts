import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Admin } from 'kafkajs';

// kafkajs' admin retries most requests but not fetchOffsets, which a broker answers now and then with a
// retriable error (NOT_COORDINATOR while it loads the group's offsets partition).
const retriableFetch = retry(
  handleWhen((error) => (error as { retriable?: boolean }).retriable === true),
  { maxAttempts: 5, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }) },
);

export interface GroupOffset {
  partition: number;
  /** -1 when the group committed nothing on the partition. */
  offset: string;
  metadata: string | null;
}

/** The offsets `groupId` committed on each partition of `topic`, asked again on a retriable error. */
export async function fetchGroupOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<GroupOffset[]> {
  const [result] = await retriableFetch.execute(() => admin.fetchOffsets({ groupId, topics: [topic] }));
  return result?.partitions ?? [];
}
