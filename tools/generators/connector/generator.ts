import { formatFiles, generateFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectorNames } from './connector-names';
import { registerDeployment } from './deployment-entries';
import { registerConnector } from './registry-entry';

export interface ConnectorGeneratorSchema {
  name: string;
  displayName?: string;
  maxBatchSize?: number;
  /** HTTP calls one credential may make per 10 s, across replicas (the kit's call budget). */
  callsPerWindow?: number;
  skipFormat?: boolean;
}

/** Generated files that come from the source of truth (the registry, the config classes) once the new files are on disk. */
const REGENERATED = ['tools/k8s/generate-topics.ts', 'tools/docs/generate-config-reference.ts'];

/**
 * `nx g @lead-delivery/tools:connector <name>`: apps/connector-<name> on connector-kit (mapping, client,
 * error classification, unit tests, project config), its line in the connector registry (libs/contracts:
 * consumer group, topics, local stack service), its Kubernetes folder and overlay entries, and its compose
 * service. Afterwards it regenerates the Kafka manifests, the connectors' kustomization and the
 * configuration reference from the new sources.
 */
export async function connectorGenerator(
  tree: Tree,
  schema: ConnectorGeneratorSchema,
): Promise<GeneratorCallback> {
  const names = connectorNames(schema.name, schema.displayName);
  if (tree.exists(names.projectRoot)) throw new Error(`${names.projectRoot} already exists`);
  const substitutions = {
    ...names,
    maxBatchSize: schema.maxBatchSize ?? 100,
    callsPerWindow: schema.callsPerWindow ?? 50,
    tmpl: '',
  };
  generateFiles(tree, join(__dirname, 'files', 'app'), names.projectRoot, substitutions);
  registerConnector(tree, names);
  const skipped = registerDeployment(tree, names, substitutions);
  if (!schema.skipFormat) await formatFiles(tree);

  return () => {
    for (const script of REGENERATED.filter((file) => existsSync(join(tree.root, file)))) {
      execFileSync(process.execPath, [join(tree.root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), script], {
        cwd: tree.root,
        stdio: 'inherit',
      });
    }
    for (const note of skipped) logger.warn(note);
    logger.info(
      [
        `${names.projectName} is ready. Next:`,
        `  - write its mapping, client and error classification (apps/${names.projectName}/README.md);`,
        `  - route leads to "${names.name}" in the enrichment routing rules;`,
        `  - create the Secret ${names.projectName}-credentials (${names.constantName}_BASE_URL, ${names.constantName}_API_TOKEN);`,
        `  - npx nx test ${names.projectName} && npx nx build ${names.projectName}`,
      ].join('\n'),
    );
  };
}

export default connectorGenerator;
