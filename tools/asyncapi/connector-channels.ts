import {
  CONNECTORS,
  CONSUMERS,
  dlqTopicOf,
  erasureGroupOf,
  PRIVACY_TOPICS,
  topicCatalogue,
  TOPICS,
  type ConnectorEntry,
  type ConsumerSpec,
} from '@lead-delivery/contracts';
import { stringify } from 'yaml';
import { formatLike } from '../docs/prettier-format';
import { ASYNCAPI_FILE } from './event-schemas';

// The connector-specific parts of asyncapi/lead-platform.asyncapi.yaml, written from the connector registry
// and the consumers of the topic catalogue (libs/contracts) into regions between marker comments; the rest
// of the document is written by hand and left as it is.

export const GENERATE_ASYNCAPI_COMMAND = 'npx tsx tools/asyncapi/generate-connector-channels.ts';

export interface Registry {
  connectors: readonly ConnectorEntry[];
  consumers: readonly ConsumerSpec[];
}

const REGISTRY: Registry = { connectors: CONNECTORS, consumers: CONSUMERS };

/** The consumer-group parameter of each main topic's dead-letter channel (`<topic>.dlq.{group}`). */
const GROUP_PARAMETERS: Record<keyof typeof TOPICS, string> = {
  leadReceived: 'ReceivedConsumerGroup',
  leadEnriched: 'EnrichedConsumerGroup',
  leadDelivery: 'DeliveryConsumerGroup',
};

const pascalCase = (id: string) =>
  id.replace(/(^|-)([a-z0-9])/g, (_, __: string, letter: string) => letter.toUpperCase());
const scalar = (value: string) => stringify(value).trimEnd();
const indented = (lines: string[], indent: string) => lines.map((line) => `${indent}${line}`);

/** Each connector's dead-letter channel of crm.erasure-requested.v1 (its erasure group gave up on a request). */
function erasureDeadLetterChannels({ connectors, consumers }: Registry): string[] {
  const catalogue = topicCatalogue(consumers);
  return connectors.flatMap(({ id, displayName }) => {
    const address = dlqTopicOf(PRIVACY_TOPICS.crmErasureRequested, erasureGroupOf(id));
    const topic = catalogue.find(({ name }) => name === address);
    if (!topic) throw new Error(`${address} (connector ${id}) is not in the topic catalogue`);
    return [
      `crmErasureRequested${pascalCase(id)}DeadLetters:`,
      `  address: ${address}`,
      `  title: ${scalar(`Erasure requests the ${displayName} connector gave up on`)}`,
      '  messages:',
      '    deadLetter:',
      "      $ref: '#/components/messages/DeadLetter'",
      '  bindings:',
      '    kafka:',
      `      topic: ${address}`,
      `      partitions: ${topic.partitions}`,
      '      topicConfiguration:',
      "        cleanup.policy: ['delete']",
      `        retention.ms: ${topic.retentionMs}`,
      '      bindingVersion: 0.5.0',
    ];
  });
}

/** The values of the `{group}` parameters: the groups consuming each main topic, and the connectors' groups. */
function consumerGroupParameters({ consumers }: Registry): string[] {
  const parameter = (name: string, description: string, groups: string[]) => [
    `${name}:`,
    `  description: ${scalar(description)}`,
    `  enum: [${groups.join(', ')}]`,
  ];
  return [
    ...(Object.entries(TOPICS) as [keyof typeof TOPICS, string][]).flatMap(([key, topic]) =>
      parameter(
        GROUP_PARAMETERS[key],
        `Consumer group of ${topic}.`,
        consumers
          .filter(({ topics }) => topics.some((consumed) => consumed === topic))
          .map(({ group }) => group),
      ),
    ),
    ...parameter(
      'ConnectorConsumerGroup',
      "A CRM connector's consumer group (`connector-<destination>`).",
      consumers.filter(({ delayedRetry }) => delayedRetry).map(({ group }) => group),
    ),
  ];
}

const REGIONS: Record<string, (registry: Registry) => string[]> = {
  'connector-channels': erasureDeadLetterChannels,
  'consumer-groups': consumerGroupParameters,
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces the lines between `# BEGIN GENERATED <name>` and `# END GENERATED <name>` (kept) with `lines`. */
function replaceRegion(document: string, name: string, lines: string[]): string {
  const begin = new RegExp(`^( *)# BEGIN GENERATED ${escape(name)}(?::.*)?\\n`, 'gm');
  const end = new RegExp(`^ *# END GENERATED ${escape(name)} *(?:\\n|$)`, 'gm');
  const begins = [...document.matchAll(begin)];
  const ends = [...document.matchAll(end)];
  if (begins.length !== 1 || ends.length !== 1 || (ends[0].index as number) < (begins[0].index as number)) {
    throw new Error(
      `${ASYNCAPI_FILE} needs one "# BEGIN GENERATED ${name}" line followed by one "# END GENERATED ${name}" line`,
    );
  }
  const [{ index: beginAt = 0, 1: indent = '' }] = begins;
  const [{ index: endAt = 0 }] = ends;
  const marker = `${indent}# BEGIN GENERATED ${name}: written from libs/contracts by \`${GENERATE_ASYNCAPI_COMMAND}\`; do not edit`;
  const body = [marker, ...indented(lines, indent)].map((line) => `${line}\n`).join('');
  return `${document.slice(0, beginAt)}${body}${document.slice(endAt)}`;
}

/**
 * The document with its generated regions rewritten from the registry (by default libs/contracts'
 * CONNECTORS and CONSUMERS), formatted as `npm run format` would.
 */
export function renderLeadPlatformAsyncApi(document: string, registry: Registry = REGISTRY): string {
  const rewritten = Object.entries(REGIONS).reduce(
    (text, [name, render]) => replaceRegion(text, name, render(registry)),
    document,
  );
  return formatLike(ASYNCAPI_FILE, rewritten);
}
