import {
  CONSUMERS,
  CONSUMER_GROUPS,
  PRIVACY_TOPICS,
  TOPICS,
  erasureGroupOf,
  dlqTopicOf,
  retryTopicOf,
  type ConsumerSpec,
  type MainTopic,
} from '@lead-delivery/contracts';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import { progressGroupOf } from '@lead-delivery/dead-letters';
import { formatLike } from '../docs/prettier-format';
import { GENERATE_TOPICS_COMMAND, KAFKA_CLUSTER } from './topic-manifests';

// One Strimzi KafkaUser per Kafka client of the platform, with ACLs for exactly the topics and consumer
// groups it uses, derived from the same catalogue as the topics (libs/contracts). The User Operator
// creates a Secret of the same name with the SCRAM-SHA-512 password (key `password`); each Deployment
// logs in as its own user (KAFKA_SASL_USERNAME = the user's name). Read and Write imply Describe, and
// the idempotent producers need no cluster ACL: since Kafka 3.0 (KIP-679) Write on a topic allows
// IdempotentWrite.

export const KAFKA_USERS_FILE = join(WORKSPACE_ROOT, 'k8s', 'base', 'kafka', 'users.yaml');
export const DEPARTMENT_READER_TEMPLATE = join(WORKSPACE_ROOT, 'k8s', 'templates', 'department-reader.yaml');

/** What every client uses to log in; the listener of the Kafka resource requires it. */
export const SASL_MECHANISM = 'scram-sha-512';
/** The key of the User Operator's Secret that holds the password. */
export const PASSWORD_KEY = 'password';

/** Topics an app publishes to, besides its retry and dead-letter topics. */
const PUBLISHED: Record<string, readonly MainTopic[]> = {
  gateway: [TOPICS.leadReceived],
  enrichment: [TOPICS.leadEnriched],
};
/** connector-kit names a connector's group `connector-<destination>` and publishes every delivery outcome. */
const CONNECTOR_GROUP = /^connector-/;
const CONNECTOR_PUBLISHES: readonly MainTopic[] = [TOPICS.leadDelivery];

/** The DLQ CLI (tools/dlq): a throwaway group per read (`dlq-cli-<id>`), one progress group per DLQ. */
export const DLQ_CLI_USER = 'dlq-cli';
export const DLQ_CLI_READ_GROUP_PREFIX = 'dlq-cli-';
const DLQ_REPLAY_GROUP_PREFIX = progressGroupOf('');

export type AclOperation = 'Read' | 'Write' | 'Describe' | 'Delete';
export interface Acl {
  resource: { type: 'topic' | 'group'; name: string; patternType: 'literal' | 'prefix' };
  operations: AclOperation[];
}

export interface KafkaUserResource {
  apiVersion: 'kafka.strimzi.io/v1';
  kind: 'KafkaUser';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    authentication: { type: typeof SASL_MECHANISM };
    authorization: { type: 'simple'; acls: Acl[] };
  };
}

const OPERATION_ORDER: AclOperation[] = ['Read', 'Write', 'Describe', 'Delete'];

/** Topic name → operations, merged: a retry topic is both read and written. */
class Grants {
  private readonly topics = new Map<string, Set<AclOperation>>();
  private readonly groups: Acl[] = [];

  topic(name: string, ...operations: AclOperation[]): this {
    const granted = this.topics.get(name) ?? new Set<AclOperation>();
    operations.forEach((operation) => granted.add(operation));
    this.topics.set(name, granted);
    return this;
  }

  group(name: string, patternType: 'literal' | 'prefix', ...operations: AclOperation[]): this {
    this.groups.push({ resource: { type: 'group', name, patternType }, operations });
    return this;
  }

  acls(): Acl[] {
    return [
      ...[...this.topics].map(([name, operations]) => ({
        resource: { type: 'topic' as const, name, patternType: 'literal' as const },
        operations: OPERATION_ORDER.filter((operation) => operations.has(operation)),
      })),
      ...this.groups,
    ];
  }
}

/** A consumer reads its topics and its retry topic, parks on the retry topic, dead-letters to its DLQs. */
function consumerGrants(consumer: ConsumerSpec, grants = new Grants()): Grants {
  for (const source of consumer.topics) {
    grants.topic(source, 'Read');
    if (consumer.delayedRetry) grants.topic(retryTopicOf(source, consumer.group), 'Read', 'Write');
    grants.topic(dlqTopicOf(source, consumer.group), 'Write');
  }
  return grants.group(consumer.group, 'literal', 'Read');
}

/**
 * The privacy topics (see the README's Privacy section): persistence asks for CRM erasures, announces
 * suppressed identities and reads the outcomes; each connector carries out erasures in its erasure group
 * and reads the suppressed identities in throwaway groups `<group>-suppression-<id>`.
 */
function privacyGrants(app: string, grants: Grants): void {
  const { crmErasureRequested, crmErasureCompleted, identitySuppressed } = PRIVACY_TOPICS;
  if (app === CONSUMER_GROUPS.persistence) {
    grants
      .topic(crmErasureRequested, 'Write')
      .topic(identitySuppressed, 'Write')
      .topic(crmErasureCompleted, 'Read')
      .topic(dlqTopicOf(crmErasureCompleted, app), 'Write');
  } else if (CONNECTOR_GROUP.test(app)) {
    const erasureGroup = erasureGroupOf(app.replace(CONNECTOR_GROUP, ''));
    grants
      .topic(crmErasureRequested, 'Read')
      .topic(dlqTopicOf(crmErasureRequested, erasureGroup), 'Write')
      .topic(crmErasureCompleted, 'Write')
      .topic(identitySuppressed, 'Read')
      .group(erasureGroup, 'literal', 'Read')
      .group(`${app}-suppression-`, 'prefix', 'Read');
  }
}

function publishedBy(app: string): readonly MainTopic[] {
  return PUBLISHED[app] ?? (CONNECTOR_GROUP.test(app) ? CONNECTOR_PUBLISHES : []);
}

/** Every app that talks to Kafka (its consumer group is its name) → its ACLs. */
export function appAcls(consumers: readonly ConsumerSpec[] = CONSUMERS): Map<string, Acl[]> {
  const apps = [...new Set([...Object.keys(PUBLISHED), ...consumers.map((consumer) => consumer.group)])];
  return new Map(
    apps.map((app) => {
      const consumer = consumers.find((candidate) => candidate.group === app);
      const grants = consumer ? consumerGrants(consumer) : new Grants();
      publishedBy(app).forEach((topic) => grants.topic(topic, 'Write'));
      privacyGrants(app, grants);
      if (app === CONSUMER_GROUPS.persistence) deadLetterDeskGrants(consumers, grants);
      return [app, grants.acls()];
    }),
  );
}

/**
 * Reads every dead-letter topic, replays to its source topic, and keeps its own groups: the DLQ CLI, and
 * persistence, whose read API runs the same dead-letter code for the operator console.
 */
function deadLetterDeskGrants(consumers: readonly ConsumerSpec[], grants: Grants): Grants {
  for (const consumer of consumers) {
    for (const source of consumer.topics) {
      grants.topic(dlqTopicOf(source, consumer.group), 'Read');
      grants.topic(source, 'Write');
    }
  }
  const { crmErasureRequested, crmErasureCompleted } = PRIVACY_TOPICS;
  for (const consumer of consumers.filter(({ delayedRetry }) => delayedRetry)) {
    grants.topic(dlqTopicOf(crmErasureRequested, `${consumer.group}-erasure`), 'Read');
    grants.topic(crmErasureRequested, 'Write');
  }
  grants.topic(dlqTopicOf(crmErasureCompleted, CONSUMER_GROUPS.persistence), 'Read');
  grants.topic(crmErasureCompleted, 'Write');
  return grants
    .group(DLQ_CLI_READ_GROUP_PREFIX, 'prefix', 'Read', 'Delete')
    .group(DLQ_REPLAY_GROUP_PREFIX, 'prefix', 'Read');
}

export function dlqCliAcls(consumers: readonly ConsumerSpec[] = CONSUMERS): Acl[] {
  return deadLetterDeskGrants(consumers, new Grants()).acls();
}

function kafkaUser(name: string, purpose: string, acls: Acl[]): KafkaUserResource {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: {
      name,
      labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'app.kubernetes.io/part-of': 'lead-platform' },
      annotations: { 'lead-platform/purpose': purpose },
    },
    spec: { authentication: { type: SASL_MECHANISM }, authorization: { type: 'simple', acls } },
  };
}

export function kafkaUserResources(consumers: readonly ConsumerSpec[] = CONSUMERS): KafkaUserResource[] {
  return [
    ...[...appAcls(consumers)].map(([app, acls]) => kafkaUser(app, `the Kafka client of ${app}`, acls)),
    kafkaUser(
      DLQ_CLI_USER,
      'the DLQ CLI (npm run dlq): inspect and replay dead letters',
      dlqCliAcls(consumers),
    ),
  ];
}

/**
 * Another department's read-only consumer: reads the main topics (an event stream, never our retry or
 * dead-letter topics) in consumer groups prefixed with its name. A template, not deployed.
 */
export function departmentReader(department: string): KafkaUserResource {
  const grants = new Grants();
  Object.values(TOPICS).forEach((topic) => grants.topic(topic, 'Read'));
  return kafkaUser(
    `reader-${department}`,
    `read-only consumer of the ${department} department; its consumer groups start with "${department}."`,
    grants.group(`${department}.`, 'prefix', 'Read').acls(),
  );
}

const header = (what: string) =>
  `# ${what}\n# Generated from libs/contracts by \`${GENERATE_TOPICS_COMMAND}\`; do not edit.\n`;

export function renderKafkaUsers(consumers: readonly ConsumerSpec[] = CONSUMERS): string {
  const documents = kafkaUserResources(consumers).map((user) => `---\n${stringify(user)}`);
  return formatLike(
    KAFKA_USERS_FILE,
    `${header('KafkaUsers with least-privilege ACLs.')}${documents.join('')}`,
  );
}

export function renderDepartmentReaderTemplate(): string {
  const what = [
    "Template: another department's read-only KafkaUser. Copy it into that department's deployment,",
    '# replace "analytics" with its name (user reader-<name>, groups "<name>.*"), keep only the topics',
    '# it needs, and apply it in the namespace of the Kafka cluster. Its password is the Secret of the',
    '# same name that the User Operator creates (key `password`); connect with SCRAM-SHA-512 over TLS.',
  ].join('\n');
  return formatLike(
    DEPARTMENT_READER_TEMPLATE,
    `${header(what)}---\n${stringify(departmentReader('analytics'))}`,
  );
}
