import { formatFiles, generateFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectorNames } from './connector-names';
import { registerDeployment } from './deployment-entries';
import { registerConnector, registerSandboxCrm, SANDBOX_INDEX } from './registry-entry';

export interface ConnectorGeneratorSchema {
  name: string;
  displayName?: string;
  maxBatchSize?: number;
  /** HTTP calls one credential may make per 10 s, across replicas (the kit's call budget). */
  callsPerWindow?: number;
  skipFormat?: boolean;
}

/** Generated files that come from the source of truth (the registry, the config classes) once the new files are on disk. */
const REGENERATED = [
  'tools/k8s/generate-topics.ts',
  'tools/docs/generate-config-reference.ts',
  'tools/asyncapi/generate-connector-channels.ts',
];

/** Where the generated connector's fake CRM (a folder `<name>`) and its local accounts file go. */
const SANDBOX_SRC = 'apps/crm-sandbox/src';
const LOCAL_ACCOUNTS = 'config/local/connectors';

/**
 * `nx g @lead-delivery/tools:connector <name>`: apps/connector-<name> on connector-kit (mapping, client,
 * error classification, per-account settings, unit tests, an integration spec, project config), its fake
 * CRM in apps/crm-sandbox/src/<name> (a minimal CRM with the sandbox's fault injection, runnable on its own),
 * its local accounts file, its line in the connector registry (libs/contracts: consumer group, topics, local
 * stack service), its Kubernetes folder and overlay entries, and its compose service. Afterwards it
 * regenerates the Kafka manifests, the connectors' kustomization, the configuration reference and the
 * AsyncAPI document's connector channels from the new sources.
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
  const kept = [
    generateUnlessPresent(tree, 'sandbox', `${SANDBOX_SRC}/${names.name}`, SANDBOX_SRC, substitutions),
    generateUnlessPresent(
      tree,
      'local',
      `${LOCAL_ACCOUNTS}/${names.name}.json`,
      LOCAL_ACCOUNTS,
      substitutions,
    ),
  ].flatMap((file) => (file ? [`${file} exists: kept as it is, not generated`] : []));
  registerConnector(tree, names);
  const sandbox = registerSandboxCrm(tree, names)
    ? []
    : [`${SANDBOX_INDEX}: add the fake CRM of ${names.name} to SANDBOX_CRMS`];
  const skipped = [...kept, ...sandbox, ...registerDeployment(tree, names, substitutions)];
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
        `  - npx nx test ${names.projectName} && npx nx test-int ${names.projectName} && npx nx build ${names.projectName}`,
      ].join('\n'),
    );
  };
}

/** Generates files/<template> into `target` unless `path` exists (a module written by hand); returns it then. */
function generateUnlessPresent(
  tree: Tree,
  template: string,
  path: string,
  target: string,
  substitutions: object,
): string | undefined {
  if (tree.exists(path)) return path;
  generateFiles(tree, join(__dirname, 'files', template), target, substitutions);
  return undefined;
}

export default connectorGenerator;
