// Regenerates the deployable topic list from libs/contracts' topicCatalogue(): Strimzi KafkaTopic
// resources (k8s/base/kafka/topics.yaml) and the compose topic-init script (docker/kafka/create-topics.sh).
// Usage: npx tsx tools/k8s/generate-topics.ts
import { chmodSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import {
  COMPOSE_TOPICS_SCRIPT,
  KAFKA_TOPICS_FILE,
  renderComposeTopicsScript,
  renderKafkaTopics,
} from './topic-manifests';

try {
  writeFileSync(KAFKA_TOPICS_FILE, renderKafkaTopics());
  writeFileSync(COMPOSE_TOPICS_SCRIPT, renderComposeTopicsScript());
  chmodSync(COMPOSE_TOPICS_SCRIPT, 0o755);
  for (const file of [KAFKA_TOPICS_FILE, COMPOSE_TOPICS_SCRIPT])
    console.log(`wrote ${relative(WORKSPACE_ROOT, file)}`);
} catch (error) {
  console.error(`could not generate the topic manifests: ${(error as Error).message}`);
  process.exit(1);
}
