import { topicCatalogue, type TopicSpec } from '@lead-delivery/contracts';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import { formatLike } from '../docs/prettier-format';

// The topics of libs/contracts' catalogue as deployable resources: Strimzi KafkaTopic resources for
// Kubernetes, and the topic-init script of docker/compose.yaml. Both are generated, committed, and
// checked for drift by topic-manifests.spec.ts.

export const GENERATE_TOPICS_COMMAND = 'npx tsx tools/k8s/generate-topics.ts';
export const KAFKA_TOPICS_FILE = join(WORKSPACE_ROOT, 'k8s', 'base', 'kafka', 'topics.yaml');
export const COMPOSE_TOPICS_SCRIPT = join(WORKSPACE_ROOT, 'docker', 'kafka', 'create-topics.sh');

/** The Strimzi cluster (`strimzi.io/cluster`) the topics belong to; overlays run it in their namespace. */
export const KAFKA_CLUSTER = 'lead-platform';
/** Production defaults; the dev overlay patches a single replica. */
const REPLICAS = 3;
const MIN_IN_SYNC_REPLICAS = 2;

const HEADER = `Generated from topicCatalogue() in libs/contracts by \`${GENERATE_TOPICS_COMMAND}\`; do not edit.`;

export interface KafkaTopicResource {
  apiVersion: 'kafka.strimzi.io/v1';
  kind: 'KafkaTopic';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    topicName: string;
    partitions: number;
    replicas: number;
    config: Record<string, string | number>;
  };
}

export function kafkaTopicResource(topic: TopicSpec): KafkaTopicResource {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: {
      // Topic names are valid resource names (lowercase, digits, '.', '-'), so they are used as is.
      name: topic.name,
      labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'app.kubernetes.io/part-of': 'lead-platform' },
      annotations: { 'lead-platform/purpose': topic.purpose },
    },
    spec: {
      topicName: topic.name,
      partitions: topic.partitions,
      replicas: REPLICAS,
      config: {
        'cleanup.policy': 'delete',
        'retention.ms': topic.retentionMs,
        'min.insync.replicas': MIN_IN_SYNC_REPLICAS,
      },
    },
  };
}

export function renderKafkaTopics(topics: TopicSpec[] = topicCatalogue()): string {
  const documents = topics.map((topic) => stringify(kafkaTopicResource(topic)));
  const yaml = `# ${HEADER}\n${documents.map((document) => `---\n${document}`).join('')}`;
  return formatLike(KAFKA_TOPICS_FILE, yaml);
}

export function renderComposeTopicsScript(topics: TopicSpec[] = topicCatalogue()): string {
  return [
    '#!/bin/sh',
    `# ${HEADER}`,
    '# The topic-init service of docker/compose.yaml runs it with the Kafka image: it creates what is missing.',
    'set -eu',
    'bootstrap="${KAFKA_BOOTSTRAP_SERVER:-kafka:9092}"',
    'create() {',
    '  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \\',
    '    --topic "$1" --partitions "$2" --replication-factor 1 --config "retention.ms=$3"',
    '}',
    ...topics.map((topic) => `create ${topic.name} ${topic.partitions} ${topic.retentionMs}`),
    `echo "topics ready: ${topics.length}"`,
    '',
  ].join('\n');
}
