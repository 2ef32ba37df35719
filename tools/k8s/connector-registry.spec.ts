import { CONNECTORS, CONNECTOR_IDS, connectorAppOf } from '@lead-delivery/contracts';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import {
  CONNECTORS_DIR,
  CONNECTORS_KUSTOMIZATION,
  renderConnectorsKustomization,
} from './connector-manifests';
import { GENERATE_TOPICS_COMMAND } from './topic-manifests';

// Compose, Kubernetes and the routing rules against the connector registry (libs/contracts CONNECTORS):
// a connector is in all of them or in none (its local accounts file: tools/stack/services.spec.ts).

const SANDBOX_URL = 'http://crm-sandbox:4010';
const read = (...path: string[]) => readFileSync(join(WORKSPACE_ROOT, ...path), 'utf8');
const registryApps = CONNECTORS.map(({ id }) => connectorAppOf(id)).sort();

interface Container {
  image: string;
}

describe('deployments agree with the connector registry', () => {
  it(`lists the registry's connectors in the generated kustomization (${GENERATE_TOPICS_COMMAND})`, () => {
    expect(readFileSync(CONNECTORS_KUSTOMIZATION, 'utf8')).toBe(renderConnectorsKustomization());
  });

  it('has a folder k8s/base/connectors/<id> for every registry connector and for no other', () => {
    const folders = readdirSync(CONNECTORS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map(({ name }) => name);
    expect(folders.sort()).toEqual([...CONNECTOR_IDS].sort());
  });

  it.each(CONNECTOR_IDS.map((id) => [id]))('%s: its Deployment runs its app and image', (id) => {
    const deployment = parseAllDocuments(read('k8s', 'base', 'connectors', id, 'deployment.yaml'))
      .map((document) => document.toJS())
      .find(({ kind }) => kind === 'Deployment');
    expect(deployment.metadata.name).toBe(connectorAppOf(id));
    const containers: Container[] = deployment.spec.template.spec.containers;
    expect(containers.map(({ image }) => image)).toContain(`lead-platform/${connectorAppOf(id)}`);
  });

  it('gives each overlay an image of every registry connector and of no other', () => {
    for (const overlay of readdirSync(join(WORKSPACE_ROOT, 'k8s', 'overlays'))) {
      const file = join('k8s', 'overlays', overlay, 'kustomization.yaml');
      if (!existsSync(join(WORKSPACE_ROOT, file))) continue;
      const images: { name: string }[] = parse(read(file)).images ?? [];
      const connectors = images
        .map(({ name }) => name.replace(/^lead-platform\//, ''))
        .filter((name) => name.startsWith('connector-'));
      expect({ overlay, connectors: connectors.sort() }).toEqual({ overlay, connectors: registryApps });
    }
  });

  it('runs every registry connector in compose, pointed at the CRM sandbox, and no other', () => {
    const services: Record<string, { environment?: Record<string, unknown> }> = parse(
      read('docker', 'compose.yaml'),
      { merge: true },
    ).services;
    const connectors = Object.keys(services).filter((name) => name.startsWith('connector-'));
    expect(connectors.sort()).toEqual(registryApps);
    for (const { id, crmUrlEnv } of CONNECTORS)
      expect(services[connectorAppOf(id)]?.environment?.[crmUrlEnv]).toBe(SANDBOX_URL);
  });

  it('routes leads only to registry connectors', () => {
    const routingFiles = [
      ['config', 'local', 'routing.json'],
      ['k8s', 'base', 'enrichment', 'routing.json'],
      ['k8s', 'overlays', 'dev', 'local', 'routing.json'],
    ];
    for (const path of routingFiles) {
      const destinations = destinationsIn(JSON.parse(read(...path)));
      expect(destinations.size).toBeGreaterThan(0);
      for (const destination of destinations) expect(CONNECTOR_IDS).toContain(destination);
    }
  });
});

/** Every destination a routing file names (`always` and rule `destinations`, default and per account). */
function destinationsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) destinationsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if ((key === 'always' || key === 'destinations') && Array.isArray(item))
        for (const destination of item) found.add(String(destination));
      else destinationsIn(item, found);
    }
  }
  return found;
}
