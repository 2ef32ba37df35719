import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { WORKSPACE_ROOT } from '../docs/app-configs';

export const OVERLAYS_DIR = join(WORKSPACE_ROOT, 'k8s', 'overlays');

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export function overlayNames(): string[] {
  return readdirSync(OVERLAYS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** `kubectl kustomize k8s/overlays/<overlay>`, parsed. */
export function renderOverlay(overlay: string): KubernetesObject[] {
  const kubectl = spawnSync('kubectl', ['kustomize', join(OVERLAYS_DIR, overlay)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (kubectl.error) {
    throw new Error(
      `kubectl is needed to render the overlays (${kubectl.error.message}); on Debian: apt-get install -y kubectl, or kubernetes-client`,
    );
  }
  if (kubectl.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed:\n${kubectl.stderr}`);
  return parseAllDocuments(kubectl.stdout).map((document) => {
    if (document.errors.length > 0) throw new Error(`${overlay}: ${document.errors[0].message}`);
    return document.toJS() as KubernetesObject;
  });
}

export const ofKind = <T = KubernetesObject>(objects: KubernetesObject[], kind: string): T[] =>
  objects.filter((object) => object.kind === kind) as T[];
