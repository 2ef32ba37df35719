import { CONNECTOR_IDS } from '@lead-delivery/contracts';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import { GENERATE_TOPICS_COMMAND } from './topic-manifests';

// The connectors of the registry (libs/contracts CONNECTORS) as Kubernetes resources: one folder per
// connector, k8s/base/connectors/<id> (written by the connector generator), listed by a generated
// kustomization; connector-registry.spec.ts checks folders, overlays and compose against the registry.

export const CONNECTORS_DIR = join(WORKSPACE_ROOT, 'k8s', 'base', 'connectors');
export const CONNECTORS_KUSTOMIZATION = join(CONNECTORS_DIR, 'kustomization.yaml');

export function renderConnectorsKustomization(): string {
  return [
    `# Generated from the connector registry (libs/contracts CONNECTORS) by \`${GENERATE_TOPICS_COMMAND}\`; do not edit.`,
    '# One folder per CRM connector (deployment.yaml + scaling.yaml + kustomization.yaml). Every pod labelled',
    '# app.kubernetes.io/component: connector gets the egress to the CRM APIs of crm-egress.yaml.',
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['crm-egress.yaml', ...CONNECTOR_IDS],
    }),
  ].join('\n');
}
