import { generateFiles, joinPathFragments, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { Pair, Scalar, isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import type { ConnectorNames } from './connector-names';

// Where a connector lives outside its app, following k8s/README.md ("Adding a connector") and
// docker/compose.yaml: a folder k8s/base/connectors/<crm> (listed by the kustomization generated from the
// registry), its image in every overlay, a dev Secret, its Secret in k8s/README.md, and a compose service. As for the
// other connectors, the local and dev entries point at crm-sandbox (which answers 404 until it emulates
// the new CRM).

const SANDBOX_URL = 'http://crm-sandbox:4010';

const CONNECTORS_DIR = 'k8s/base/connectors';
const OVERLAYS_DIR = 'k8s/overlays';
const K8S_README = 'k8s/README.md';
const COMPOSE_FILE = 'docker/compose.yaml';

const keyOf = (pair: { key: unknown }) => String(isScalar(pair.key) ? pair.key.value : pair.key);
const isConnector = (value: unknown, pattern: RegExp) => typeof value === 'string' && pattern.test(value);

/** Writes the connector's Kubernetes and Compose entries; returns what it could not do (nothing to copy). */
export function registerDeployment(
  tree: Tree,
  names: ConnectorNames,
  substitutions: Record<string, unknown>,
): string[] {
  const skipped: string[] = [];
  if (tree.exists(CONNECTORS_DIR)) {
    generateFiles(tree, join(__dirname, 'files', 'k8s'), CONNECTORS_DIR, substitutions);
  } else {
    skipped.push(`${CONNECTORS_DIR} does not exist: no Kubernetes manifests were written`);
  }
  for (const overlay of tree.exists(OVERLAYS_DIR) ? tree.children(OVERLAYS_DIR) : []) {
    const file = joinPathFragments(OVERLAYS_DIR, overlay, 'kustomization.yaml');
    if (tree.exists(file)) editYaml(tree, file, (doc) => addOverlayEntries(doc, names));
  }
  if (!addSecretToReadme(tree, names))
    skipped.push(`${K8S_README}: add the Secret connector-${names.name}-credentials to its table`);
  if (!addComposeService(tree, names)) skipped.push(`${COMPOSE_FILE}: add a service ${names.projectName}`);
  return skipped;
}

function editYaml(tree: Tree, file: string, edit: (doc: Document) => void): void {
  const doc = parseDocument(tree.read(file, 'utf-8') ?? '');
  edit(doc);
  tree.write(file, doc.toString({ lineWidth: 0 }));
}

/** The image (copied from another connector's entry) and, where the overlay generates connector Secrets, a placeholder one. */
function addOverlayEntries(doc: Document, { projectName, constantName }: ConnectorNames): void {
  const images = doc.get('images');
  if (isSeq(images)) {
    const entries = images.items.filter(isMap) as YAMLMap[];
    const template = entries
      .filter((entry) => isConnector(entry.get('name'), /^lead-platform\/connector-/))
      .at(-1);
    if (template && !entries.some((entry) => entry.get('name') === `lead-platform/${projectName}`)) {
      const image = template.toJSON() as Record<string, string>;
      image['name'] = `lead-platform/${projectName}`;
      if (image['newName']) image['newName'] = image['newName'].replace(/connector-[a-z0-9-]+$/, projectName);
      images.items.splice(images.items.indexOf(template) + 1, 0, doc.createNode(image));
    }
  }
  const secrets = doc.get('secretGenerator');
  if (isSeq(secrets)) {
    const entries = secrets.items.filter(isMap) as YAMLMap[];
    const last = entries
      .filter((entry) => isConnector(entry.get('name'), /^connector-.+-credentials$/))
      .at(-1);
    if (last && !entries.some((entry) => entry.get('name') === `${projectName}-credentials`)) {
      const secret = doc.createNode({
        name: `${projectName}-credentials`,
        literals: [
          `${constantName}_BASE_URL=${SANDBOX_URL}`,
          `${constantName}_API_TOKEN=sandbox-token-change-me`,
        ],
      });
      secrets.items.splice(secrets.items.indexOf(last) + 1, 0, secret);
    }
  }
}

function addSecretToReadme(tree: Tree, { projectName, constantName }: ConnectorNames): boolean {
  const readme = tree.read(K8S_README, 'utf-8');
  if (readme === null) return false;
  if (readme.includes(`\`${projectName}-credentials\``)) return true;
  const lines = readme.split('\n');
  const last = lines.findLastIndex((line) => /^\| `connector-[a-z0-9-]+-credentials`/.test(line));
  if (last < 0) return false;
  lines.splice(
    last + 1,
    0,
    `| \`${projectName}-credentials\` | \`${constantName}_BASE_URL\`, \`${constantName}_API_TOKEN\` | ${projectName} |`,
  );
  tree.write(K8S_README, lines.join('\n'));
  return true;
}

/** A copy of the last connector service, with the new app, image and variables. */
function addComposeService(tree: Tree, { projectName, constantName }: ConnectorNames): boolean {
  const source = tree.read(COMPOSE_FILE, 'utf-8');
  if (source === null) return false;
  const doc = parseDocument(source);
  const services = doc.get('services');
  if (!isMap(services)) return false;
  if (services.has(projectName)) return true;
  const template = services.items.filter((pair) => keyOf(pair).startsWith('connector-')).at(-1);
  if (!template || !isMap(template.value)) return false;

  const service = template.value.clone() as YAMLMap;
  service.set('image', `lead-platform/${projectName}:local`);
  service.setIn(['build', 'args', 'APP'], projectName);
  const environment = service.get('environment');
  if (isMap(environment)) {
    // What every connector shares (the kit's store, the erasure hash key, its pod's NODE_OPTIONS) stays; the
    // CRM's own settings go.
    const shared = ['<<', 'NODE_OPTIONS', 'PORT', 'CONNECTOR_DATABASE_URL', 'ERASURE_HASH_KEY'];
    environment.items = environment.items.filter((pair) => shared.includes(keyOf(pair)));
    environment.set(`${constantName}_BASE_URL`, SANDBOX_URL);
    environment.set(`${constantName}_API_TOKEN`, 'sandbox-token-change-me');
  }
  const key = new Scalar(projectName);
  key.spaceBefore = true;
  services.items.splice(services.items.indexOf(template) + 1, 0, new Pair(key, service));
  tree.write(COMPOSE_FILE, doc.toString({ lineWidth: 0 }));
  return true;
}
