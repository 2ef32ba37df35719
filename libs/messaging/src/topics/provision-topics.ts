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
  return missing.map((topic) => topic.name);
}
