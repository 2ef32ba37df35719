// `npm run kafka:topics`: creates the topics of libs/contracts' catalogue that are missing on the broker
// at KAFKA_BROKERS (default: the local broker of `npm run kafka:start`). Existing topics are left alone.
import { topicCatalogue } from '@lead-delivery/contracts';
import { provisionTopics } from '@lead-delivery/messaging';
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const replicationFactor = Number(process.env['KAFKA_REPLICATION_FACTOR'] ?? 1);
  const admin = new Kafka({ clientId: 'provision-topics', brokers, logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    const created = await provisionTopics(admin, topicCatalogue(), { replicationFactor });
    const total = topicCatalogue().length;
    console.log(
      `topics on ${brokers.join(',')}: ${created.length} created, ${total - created.length} already there`,
    );
    created.forEach((topic) => console.log(`  + ${topic}`));
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`could not provision topics: ${(error as Error).message}`);
  process.exit(1);
});
