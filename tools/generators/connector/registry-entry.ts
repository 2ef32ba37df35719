import type { Tree } from '@nx/devkit';
import type { ConnectorNames } from './connector-names';

export const CONNECTOR_REGISTRY = 'libs/contracts/src/connectors/connector-registry.ts';

const ENTRIES =
  /(export const CONNECTORS = \[[\s\S]*?\n)(\] as const satisfies readonly ConnectorEntry\[\];)/;

/**
 * Adds the connector's line to libs/contracts' registry, from which its consumer group and topics, its
 * local stack service, the e2e and sandbox CRM lists and the deployment checks follow. It listens on the
 * port after the highest local port of the registry.
 */
export function registerConnector(tree: Tree, { name, displayName, constantName }: ConnectorNames): void {
  const source = tree.read(CONNECTOR_REGISTRY, 'utf-8');
  if (source === null) throw new Error(`${CONNECTOR_REGISTRY} not found: the connector cannot be registered`);
  if (source.includes(`id: '${name}'`)) return;
  if (!ENTRIES.test(source)) {
    throw new Error(
      `${CONNECTOR_REGISTRY} no longer declares CONNECTORS as this generator expects; update tools/generators/connector/registry-entry.ts`,
    );
  }
  const ports = [...source.matchAll(/localPort: (\d+)/g)].map((match) => Number(match[1]));
  const entry = [
    `id: '${name}'`,
    `displayName: '${displayName.replace(/[\\']/g, (character) => `\\${character}`)}'`,
    `localPort: ${Math.max(3002, ...ports) + 1}`,
    `crmUrlEnv: '${constantName}_BASE_URL'`,
  ].join(', ');
  tree.write(
    CONNECTOR_REGISTRY,
    source.replace(ENTRIES, (_, head: string, tail: string) => `${head}  { ${entry} },\n${tail}`),
  );
}
