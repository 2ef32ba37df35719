import { CONNECTORS, connectorAppOf, type ConnectorId } from '../connectors/connector-registry';
import { PRIVACY_TOPICS } from './privacy-topics';

/**
 * Every Kafka topic of the platform. Topics are provisioned from this list (tools/kafka locally,
 * Strimzi KafkaTopic resources in Kubernetes); apps never create topics on the fly.
 */
export const TOPICS = {
  leadReceived: 'leads.received.v1',
  leadEnriched: 'leads.enriched.v1',
  leadDelivery: 'leads.delivery.v1',
} as const;
export type MainTopic = (typeof TOPICS)[keyof typeof TOPICS];

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type ConnectorGroups = {
  readonly [Id in ConnectorId as `connector${Capitalize<CamelCase<Id>>}`]: `connector-${Id}`;
};
const camelCase = (id: string) =>
  id.replace(/(^|-)([a-z0-9])/g, (_, __: string, letter: string) => letter.toUpperCase());

/** The platform's consumer groups; a connector's (`connectorHubspot: 'connector-hubspot'`) come from CONNECTORS. */
export const CONSUMER_GROUPS = {
  persistence: 'persistence',
  enrichment: 'enrichment',
  ...(Object.fromEntries(
    CONNECTORS.map(({ id }) => [`connector${camelCase(id)}`, connectorAppOf(id)]),
  ) as ConnectorGroups),
} as const;

/** Delayed-retry topic of one consumer group: records that must wait, without blocking their partition. */
export const retryTopicOf = (source: string, group: string) => `${source}.retry.${group}`;
/** The source topic of a delayed-retry topic (`leads.enriched.v1.retry.connector-hubspot` → `leads.enriched.v1`). */
export const sourceOfRetryTopic = (topic: string): string | undefined =>
  /^(.+)\.retry\.[^.]+$/.exec(topic)?.[1];
/** Dead-letter topic of one consumer group: records it gave up on, with the reason in headers. */
export const dlqTopicOf = (source: string, group: string) => `${source}.dlq.${group}`;

export interface ConsumerSpec {
  group: string;
  topics: readonly MainTopic[];
  /** Whether the group parks records on a delayed-retry topic (CRM connectors) or retries in place. */
  delayedRetry: boolean;
}

export const CONSUMERS: readonly ConsumerSpec[] = [
  {
    group: CONSUMER_GROUPS.persistence,
    topics: [TOPICS.leadReceived, TOPICS.leadEnriched, TOPICS.leadDelivery],
    delayedRetry: false,
  },
  { group: CONSUMER_GROUPS.enrichment, topics: [TOPICS.leadReceived], delayedRetry: false },
  ...CONNECTORS.map(({ id }) => ({
    group: connectorAppOf(id),
    topics: [TOPICS.leadEnriched],
    delayedRetry: true,
  })),
];

export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
  purpose: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAIN_PARTITIONS = 6;

export function topicCatalogue(consumers: readonly ConsumerSpec[] = CONSUMERS): TopicSpec[] {
  const main: TopicSpec[] = [
    { name: TOPICS.leadReceived, purpose: 'validated inbound leads' },
    { name: TOPICS.leadEnriched, purpose: 'scored, normalised and routed leads' },
    { name: TOPICS.leadDelivery, purpose: 'CRM delivery outcomes' },
  ].map((topic) => ({ ...topic, partitions: MAIN_PARTITIONS, retentionMs: 7 * DAY_MS }));

  const perGroup = consumers.flatMap((consumer) =>
    consumer.topics.flatMap((source) => [
      ...(consumer.delayedRetry
        ? [
            {
              name: retryTopicOf(source, consumer.group),
              partitions: MAIN_PARTITIONS,
              retentionMs: 7 * DAY_MS,
              purpose: `delayed retries of ${consumer.group}`,
            },
          ]
        : []),
      {
        name: dlqTopicOf(source, consumer.group),
        partitions: 1,
        retentionMs: 30 * DAY_MS,
        purpose: `dead letters of ${consumer.group}`,
      },
    ]),
  );
  return [...main, ...perGroup, ...privacyTopics(consumers)];
}

/** Retention of the suppressed identities: at least the longest suppression period (persistence's ERASURE_SUPPRESSION_DAYS). */
export const SUPPRESSION_RETENTION_DAYS = 45;

/**
 * The erasure topics and their dead letters: one erasure group per connector (`<group>-erasure`, see
 * erasureGroupOf) reads the requests, persistence reads the outcomes. Values hold ids only.
 */
function privacyTopics(consumers: readonly ConsumerSpec[]): TopicSpec[] {
  const connectors = consumers.filter((consumer) => consumer.delayedRetry).map(({ group }) => group);
  const dlq = (source: string, group: string): TopicSpec => ({
    name: dlqTopicOf(source, group),
    partitions: 1,
    retentionMs: 30 * DAY_MS,
    purpose: `dead letters of ${group}`,
  });
  return [
    {
      name: PRIVACY_TOPICS.crmErasureRequested,
      partitions: MAIN_PARTITIONS,
      retentionMs: 7 * DAY_MS,
      purpose: 'erasures for each CRM destination and account',
    },
    {
      name: PRIVACY_TOPICS.crmErasureCompleted,
      partitions: MAIN_PARTITIONS,
      retentionMs: 7 * DAY_MS,
      purpose: 'outcomes of CRM erasures',
    },
    {
      name: PRIVACY_TOPICS.identitySuppressed,
      partitions: 1,
      retentionMs: SUPPRESSION_RETENTION_DAYS * DAY_MS,
      purpose: 'erased identities (keyed hashes) that connectors must not deliver',
    },
    ...connectors.map((group) => dlq(PRIVACY_TOPICS.crmErasureRequested, `${group}-erasure`)),
    dlq(PRIVACY_TOPICS.crmErasureCompleted, CONSUMER_GROUPS.persistence),
  ];
}
