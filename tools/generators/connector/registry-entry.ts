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

export const SANDBOX_INDEX = 'apps/crm-sandbox/src/sandbox-crms.ts';

const SANDBOX_ENTRIES = /(export const SANDBOX_CRMS = \{[\s\S]*?\n)(\} satisfies )/;
/** Where the generated fake CRM's API starts (its controller in files/sandbox). */
const GENERATED_API_PATH = '/v1/records';

/**
 * Adds the connector's fake CRM (apps/crm-sandbox/src/<name>, generated or written by hand with the same
 * names) to the sandbox's module index, so that the sandbox loads it for the registry line.
 */
export function registerSandboxCrm(tree: Tree, { name, className }: ConnectorNames): boolean {
  const source = tree.read(SANDBOX_INDEX, 'utf-8');
  if (source === null || !tree.exists(`apps/crm-sandbox/src/${name}/${name}.module.ts`)) return false;
  const key = /^[a-z][a-z0-9]*$/.test(name) ? name : `'${name}'`;
  if (new RegExp(`^  ${key}: `, 'm').test(source)) return true;
  const lastImport = [...source.matchAll(/^import .+ from '\.\/.+';$/gm)].at(-1);
  if (!lastImport || !SANDBOX_ENTRIES.test(source)) return false;
  const imports = [
    `import { ${className}Module } from './${name}/${name}.module';`,
    `import { ${className}Config } from './${name}/${name}.config';`,
  ].join('\n');
  const end = (lastImport.index ?? 0) + lastImport[0].length;
  const entry = `  ${key}: sandboxCrm({ config: ${className}Config, apiPath: '${GENERATED_API_PATH}', module: (config) => ${className}Module.register(config) }),\n`;
  tree.write(
    SANDBOX_INDEX,
    `${source.slice(0, end)}\n${imports}${source.slice(end)}`.replace(
      SANDBOX_ENTRIES,
      (_, head: string, tail: string) => `${head}${entry}${tail}`,
    ),
  );
  return true;
}
