import { CONSUMERS, topicCatalogue, type ConsumerSpec } from '@lead-delivery/contracts';

// The Kafka topics an AsyncAPI document of ours stands for, to compare with libs/contracts' topicCatalogue().

export interface Channel {
  address: string;
  parameters?: Record<string, { $ref: string }>;
  messages: Record<string, { $ref: string }>;
  bindings?: {
    kafka?: { topic?: string; partitions?: number; topicConfiguration?: Record<string, unknown> };
  };
}

export interface DocumentedTopic {
  name: string;
  partitions: number | undefined;
  retentionMs: unknown;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export const channelsOf = (document: Record<string, unknown>) =>
  Object.values(document['channels'] as Record<string, Channel>);

export const groupParametersOf = (document: Record<string, unknown>) =>
  (document['components'] as { parameters: Record<string, { enum: string[] }> }).parameters;

/** Every channel's topics (its address with each parameter replaced by each of its values), by name. */
export function documentedTopics(document: Record<string, unknown>): DocumentedTopic[] {
  const parameters = groupParametersOf(document);
  const topicsOf = (channel: Channel) =>
    Object.entries(channel.parameters ?? {}).reduce(
      (addresses, [name, { $ref }]) =>
        addresses.flatMap((address) =>
          parameters[$ref.split('/').at(-1) as string].enum.map((value) =>
            address.replace(`{${name}}`, value),
          ),
        ),
      [channel.address],
    );
  return channelsOf(document)
    .flatMap((channel) =>
      topicsOf(channel).map((name) => ({
        name,
        partitions: channel.bindings?.kafka?.partitions,
        retentionMs: channel.bindings?.kafka?.topicConfiguration?.['retention.ms'],
      })),
    )
    .sort(byName);
}

/** The catalogue's topics of these consumers, as documentedTopics() lists a document's. */
export function catalogueTopics(consumers: readonly ConsumerSpec[] = CONSUMERS): DocumentedTopic[] {
  return topicCatalogue(consumers)
    .map(({ name, partitions, retentionMs }) => ({ name, partitions, retentionMs }))
    .sort(byName);
}
