import { CONSUMERS, topicCatalogue, type ConsumerSpec } from '@lead-delivery/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { appConfigurations, WORKSPACE_ROOT } from '../docs/app-configs';
import {
  DEPARTMENT_READER_TEMPLATE,
  DLQ_CLI_READ_GROUP_PREFIX,
  DLQ_CLI_USER,
  KAFKA_USERS_FILE,
  appAcls,
  dlqCliAcls,
  kafkaUserResources,
  renderDepartmentReaderTemplate,
  renderKafkaUsers,
  type Acl,
} from './kafka-users';
import { schemaProblems } from './kubernetes-schemas';
import type { KubernetesObject } from './render-manifests';
import { GENERATE_TOPICS_COMMAND } from './topic-manifests';

const topicAcl = (name: string, ...operations: string[]) => ({
  resource: { type: 'topic', name, patternType: 'literal' },
  operations,
});
const groupAcl = (name: string, patternType: string, ...operations: string[]) => ({
  resource: { type: 'group', name, patternType },
  operations,
});
const parse = (yaml: string) =>
  parseAllDocuments(yaml).map((document) => document.toJS() as KubernetesObject);

describe('KafkaUsers generated from the catalogue', () => {
  it(`are up to date (else run ${GENERATE_TOPICS_COMMAND})`, () => {
    expect(readFileSync(KAFKA_USERS_FILE, 'utf8')).toBe(renderKafkaUsers());
    expect(readFileSync(DEPARTMENT_READER_TEMPLATE, 'utf8')).toBe(renderDepartmentReaderTemplate());
  });

  it('give every app that talks to Kafka a user of its name, and the DLQ CLI one', () => {
    const kafkaApps = appConfigurations()
      .filter((app) => app.variables.some((variable) => variable.name === 'KAFKA_BROKERS'))
      .map((app) => app.app);
    expect(kafkaApps.length).toBeGreaterThanOrEqual(5);
    const users = kafkaUserResources().map((user) => user.metadata.name);
    expect(users.sort()).toEqual([...kafkaApps, DLQ_CLI_USER].sort());
  });

  it('name only catalogue topics, each literally, and only the own group of each app', () => {
    const catalogue = topicCatalogue().map((topic) => topic.name);
    for (const [app, acls] of appAcls()) {
      const topics = acls.filter((acl) => acl.resource.type === 'topic');
      topics.forEach((acl) =>
        expect({ app, acl, known: catalogue.includes(acl.resource.name) }).toEqual({ app, acl, known: true }),
      );
      expect(topics.every((acl) => acl.resource.patternType === 'literal')).toBe(true);
      const own = CONSUMERS.some((consumer) => consumer.group === app)
        ? [groupAcl(app, 'literal', 'Read')]
        : [];
      // A connector also erases in its erasure group and reads suppressed identities in throwaway groups.
      const privacy = app.startsWith('connector-')
        ? [groupAcl(`${app}-erasure`, 'literal', 'Read'), groupAcl(`${app}-suppression-`, 'prefix', 'Read')]
        : [];
      // Persistence's read API runs the dead-letter code of the DLQ CLI for the operator console.
      const deadLetterDesk =
        app === 'persistence'
          ? [groupAcl('dlq-cli-', 'prefix', 'Read', 'Delete'), groupAcl('dlq-replay.', 'prefix', 'Read')]
          : [];
      expect(acls.filter((acl) => acl.resource.type === 'group')).toEqual([
        ...own,
        ...privacy,
        ...deadLetterDesk,
      ]);
    }
  });

  it('let persistence do what the DLQ CLI does, for the console: read every dead-letter topic, replay to its source', () => {
    const persistence = appAcls().get('persistence') ?? [];
    const granted = (name: string, operation: string) =>
      persistence.some((acl) => acl.resource.name === name && acl.operations.includes(operation as never));
    for (const acl of dlqCliAcls().filter((entry) => entry.resource.type === 'topic')) {
      for (const operation of acl.operations) {
        expect({
          topic: acl.resource.name,
          operation,
          granted: granted(acl.resource.name, operation),
        }).toEqual({
          topic: acl.resource.name,
          operation,
          granted: true,
        });
      }
    }
  });

  it('let each app do exactly its job: publish, consume, park for retry, dead-letter', () => {
    const acls = appAcls();
    expect(acls.get('gateway')).toEqual([topicAcl('leads.received.v1', 'Write')]);
    expect(acls.get('enrichment')).toEqual([
      topicAcl('leads.received.v1', 'Read'),
      topicAcl('leads.received.v1.dlq.enrichment', 'Write'),
      topicAcl('leads.enriched.v1', 'Write'),
      groupAcl('enrichment', 'literal', 'Read'),
    ]);
    expect(acls.get('connector-hubspot')).toEqual([
      topicAcl('leads.enriched.v1', 'Read'),
      topicAcl('leads.enriched.v1.retry.connector-hubspot', 'Read', 'Write'),
      topicAcl('leads.enriched.v1.dlq.connector-hubspot', 'Write'),
      topicAcl('leads.delivery.v1', 'Write'),
      topicAcl('crm.erasure-requested.v1', 'Read'),
      topicAcl('crm.erasure-requested.v1.dlq.connector-hubspot-erasure', 'Write'),
      topicAcl('crm.erasure-completed.v1', 'Write'),
      topicAcl('identities.suppressed.v1', 'Read'),
      groupAcl('connector-hubspot', 'literal', 'Read'),
      groupAcl('connector-hubspot-erasure', 'literal', 'Read'),
      groupAcl('connector-hubspot-suppression-', 'prefix', 'Read'),
    ]);
    // Persistence writes its dead letters and the privacy topics, and replays to the main topics for the
    // console's dead-letter API (which also reads them, as the DLQ CLI does).
    expect(acls.get('persistence')?.filter((acl) => acl.operations.includes('Write'))).toEqual([
      topicAcl('leads.received.v1', 'Read', 'Write'),
      topicAcl('leads.received.v1.dlq.persistence', 'Read', 'Write'),
      topicAcl('leads.enriched.v1', 'Read', 'Write'),
      topicAcl('leads.enriched.v1.dlq.persistence', 'Read', 'Write'),
      topicAcl('leads.delivery.v1', 'Read', 'Write'),
      topicAcl('leads.delivery.v1.dlq.persistence', 'Read', 'Write'),
      topicAcl('crm.erasure-requested.v1', 'Write'),
      topicAcl('identities.suppressed.v1', 'Write'),
      topicAcl('crm.erasure-completed.v1', 'Read', 'Write'),
      topicAcl('crm.erasure-completed.v1.dlq.persistence', 'Read', 'Write'),
    ]);
  });

  it('follow the catalogue: a new connector gets its user with its retry and dead-letter topics', () => {
    const pipedrive: ConsumerSpec = {
      group: 'connector-pipedrive',
      topics: ['leads.enriched.v1'],
      delayedRetry: true,
    };
    const acls = appAcls([...CONSUMERS, pipedrive]).get('connector-pipedrive') as Acl[];
    expect(acls.map((acl) => acl.resource.name)).toEqual([
      'leads.enriched.v1',
      'leads.enriched.v1.retry.connector-pipedrive',
      'leads.enriched.v1.dlq.connector-pipedrive',
      'leads.delivery.v1',
      'crm.erasure-requested.v1',
      'crm.erasure-requested.v1.dlq.connector-pipedrive-erasure',
      'crm.erasure-completed.v1',
      'identities.suppressed.v1',
      'connector-pipedrive',
      'connector-pipedrive-erasure',
      'connector-pipedrive-suppression-',
    ]);
  });

  it('let the DLQ CLI read every dead-letter topic, replay to its source, and use only its own groups', () => {
    const acls = dlqCliAcls();
    const dlqs = topicCatalogue().filter((topic) => topic.name.includes('.dlq.'));
    expect(acls.filter((acl) => acl.operations.includes('Read') && acl.resource.type === 'topic')).toEqual(
      dlqs.map((topic) => topicAcl(topic.name, 'Read')),
    );
    expect(acls.filter((acl) => acl.operations.includes('Write')).map((acl) => acl.resource.name)).toEqual([
      'leads.received.v1',
      'leads.enriched.v1',
      'leads.delivery.v1',
      'crm.erasure-requested.v1',
      'crm.erasure-completed.v1',
    ]);
    expect(acls.filter((acl) => acl.resource.type === 'group')).toEqual([
      groupAcl('dlq-cli-', 'prefix', 'Read', 'Delete'),
      groupAcl('dlq-replay.', 'prefix', 'Read'),
    ]);
    // The CLI names its throwaway read groups with this prefix (libs/dead-letters/src/dlq-store.ts).
    expect(readFileSync(join(WORKSPACE_ROOT, 'libs/dead-letters/src/dlq-store.ts'), 'utf8')).toContain(
      `\`${DLQ_CLI_READ_GROUP_PREFIX}\${`,
    );
  });

  it('are valid Strimzi v1 KafkaUsers, and so is the read-only template for other departments', () => {
    const users = parse(renderKafkaUsers());
    const [reader] = parse(renderDepartmentReaderTemplate());
    expect([...users, reader].flatMap(schemaProblems)).toEqual([]);
    const acls = (reader['spec'] as { authorization: { acls: Acl[] } }).authorization.acls;
    expect(acls.every((acl) => acl.operations.every((operation) => operation === 'Read'))).toBe(true);
    expect(acls.filter((acl) => acl.resource.type === 'topic').map((acl) => acl.resource.name)).toEqual([
      'leads.received.v1',
      'leads.enriched.v1',
      'leads.delivery.v1',
    ]);
    expect(acls.filter((acl) => acl.resource.type === 'group')).toEqual([
      groupAcl('analytics.', 'prefix', 'Read'),
    ]);
  });
});
