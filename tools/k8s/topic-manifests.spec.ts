import { topicCatalogue, type TopicSpec } from '@lead-delivery/contracts';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  COMPOSE_TOPICS_SCRIPT,
  GENERATE_TOPICS_COMMAND,
  KAFKA_TOPICS_FILE,
  kafkaTopicResource,
  renderComposeTopicsScript,
  renderKafkaTopics,
} from './topic-manifests';

describe('topic manifests generated from topicCatalogue()', () => {
  it(`are up to date (else run ${GENERATE_TOPICS_COMMAND})`, () => {
    expect(readFileSync(KAFKA_TOPICS_FILE, 'utf8')).toBe(renderKafkaTopics());
    expect(readFileSync(COMPOSE_TOPICS_SCRIPT, 'utf8')).toBe(renderComposeTopicsScript());
  });

  it('hold one KafkaTopic per catalogue topic, with its partitions and retention', () => {
    const resources = parseAllDocuments(renderKafkaTopics()).map((document) => document.toJS());
    expect(resources).toEqual(topicCatalogue().map(kafkaTopicResource));
    expect(resources.map((resource) => resource.spec.topicName)).toEqual(
      topicCatalogue().map((topic) => topic.name),
    );
  });

  it('follow the catalogue when it changes', () => {
    const topic: TopicSpec = {
      name: 'leads.scored.v2',
      partitions: 12,
      retentionMs: 86_400_000,
      purpose: 'a new topic',
    };
    const [resource] = parseAllDocuments(renderKafkaTopics([topic])).map((document) => document.toJS());
    expect(resource.spec).toMatchObject({
      topicName: 'leads.scored.v2',
      partitions: 12,
      config: { 'retention.ms': 86_400_000 },
    });
    expect(renderComposeTopicsScript([topic])).toContain('\ncreate leads.scored.v2 12 86400000\n');
  });
});
