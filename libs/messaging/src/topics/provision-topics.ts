import type { TopicSpec } from '@lead-delivery/contracts';
import type { Admin } from 'kafkajs';

/**
 * Creates the topics of the catalogue that do not exist yet (existing ones are left alone).
 * Returns the names it created.
 */
export async function provisionTopics(
  admin: Admin,
  topics: TopicSpec[],
  { replicationFactor = 1, partitions }: { replicationFactor?: number; partitions?: number } = {},
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic: topic.name,
      numPartitions: partitions ?? topic.partitions,
      replicationFactor,
      configEntries: [
        { name: 'retention.ms', value: String(topic.retentionMs) },
        { name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) },
      ],
    })),
  });
  const created = missing.map((topic) => topic.name);
  await untilPartitionsServe(admin, created);
  return created;
}

/**
 * A KRaft broker lists a new topic's leaders in its metadata a moment before its partitions answer
 * ListOffsets ("not the leader for that topic-partition"); callers that read offsets right after
 * provisioning (tests, benchmarks) need them to answer.
 */
async function untilPartitionsServe(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const topic of topics) {
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
