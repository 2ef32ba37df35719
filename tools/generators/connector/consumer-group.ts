import type { Tree } from '@nx/devkit';
import type { ConnectorNames } from './connector-names';

export const TOPIC_CATALOGUE = 'libs/contracts/src/topics/topic-catalogue.ts';

const GROUPS = /(export const CONSUMER_GROUPS = \{[\s\S]*?\n)(\} as const;)/;
const CONSUMERS = /(export const CONSUMERS: readonly ConsumerSpec\[\] = \[[\s\S]*?\n)(\];)/;

/**
 * Adds the connector's consumer group to libs/contracts' topic catalogue, so that its retry and DLQ topics
 * are provisioned (apps never create topics).
 */
export function registerConsumerGroup(tree: Tree, { projectName, className }: ConnectorNames): void {
  const source = tree.read(TOPIC_CATALOGUE, 'utf-8');
  if (source === null)
    throw new Error(`${TOPIC_CATALOGUE} not found: the connector's group cannot be registered`);
  if (source.includes(`'${projectName}'`)) return;
  if (!GROUPS.test(source) || !CONSUMERS.test(source)) {
    throw new Error(
      `${TOPIC_CATALOGUE} no longer declares CONSUMER_GROUPS / CONSUMERS as this generator expects; update tools/generators/connector/consumer-group.ts`,
    );
  }
  const key = `connector${className}`;
  tree.write(
    TOPIC_CATALOGUE,
    source
      .replace(GROUPS, (_, head: string, tail: string) => `${head}  ${key}: '${projectName}',\n${tail}`)
      .replace(
        CONSUMERS,
        (_, head: string, tail: string) =>
          `${head}  { group: CONSUMER_GROUPS.${key}, topics: [TOPICS.leadEnriched], delayedRetry: true },\n${tail}`,
      ),
  );
}
