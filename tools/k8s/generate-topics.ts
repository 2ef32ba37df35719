// Regenerates what is deployed from libs/contracts' catalogue: the Strimzi KafkaTopic resources
// (k8s/base/kafka/topics.yaml), the KafkaUsers with their ACLs (k8s/base/kafka/users.yaml), the template of
// another department's read-only user (k8s/templates/department-reader.yaml), the compose topic-init
// script (docker/kafka/create-topics.sh), and from its connector registry the connectors' kustomization
// (k8s/base/connectors/kustomization.yaml).
// Usage: npx tsx tools/k8s/generate-topics.ts
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import { CONNECTORS_KUSTOMIZATION, renderConnectorsKustomization } from './connector-manifests';
import {
  DEPARTMENT_READER_TEMPLATE,
  KAFKA_USERS_FILE,
  renderDepartmentReaderTemplate,
  renderKafkaUsers,
} from './kafka-users';
import {
  COMPOSE_TOPICS_SCRIPT,
  KAFKA_TOPICS_FILE,
  renderComposeTopicsScript,
  renderKafkaTopics,
} from './topic-manifests';

try {
  const files: [string, () => string][] = [
    [KAFKA_TOPICS_FILE, renderKafkaTopics],
    [KAFKA_USERS_FILE, renderKafkaUsers],
    [DEPARTMENT_READER_TEMPLATE, renderDepartmentReaderTemplate],
    [COMPOSE_TOPICS_SCRIPT, renderComposeTopicsScript],
    [CONNECTORS_KUSTOMIZATION, renderConnectorsKustomization],
  ];
  for (const [file, render] of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, render());
    console.log(`wrote ${relative(WORKSPACE_ROOT, file)}`);
  }
  chmodSync(COMPOSE_TOPICS_SCRIPT, 0o755);
} catch (error) {
  console.error(`could not generate the Kafka manifests: ${(error as Error).message}`);
  process.exit(1);
}
