import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { connectorNames } from './connector-names';
import { connectorGenerator } from './generator';
import { CONNECTOR_REGISTRY, SANDBOX_INDEX } from './registry-entry';

const ROOT = join(__dirname, '..', '..', '..');

/** The workspace files the generator edits, as they are in this repository today. */
function workspaceFiles(): string[] {
  const overlays = readdirSync(join(ROOT, 'k8s', 'overlays')).map(
    (overlay) => `k8s/overlays/${overlay}/kustomization.yaml`,
  );
  return [
    CONNECTOR_REGISTRY,
    SANDBOX_INDEX,
    'k8s/README.md',
    'k8s/base/connectors/kustomization.yaml',
    'docker/compose.yaml',
    ...overlays,
  ].filter((file) => existsSync(join(ROOT, file)));
}

describe('nx g @lead-delivery/tools:connector', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    for (const file of workspaceFiles()) tree.write(file, readFileSync(join(ROOT, file), 'utf8'));
  });

  it('scaffolds apps/connector-<name> on the kit (per-account settings and an integration spec included), every name spelled out', async () => {
    await connectorGenerator(tree, {
      name: 'close-io',
      maxBatchSize: 50,
      callsPerWindow: 25,
      skipFormat: true,
    });

    const root = 'apps/connector-close-io';
    expect(readJson(tree, `${root}/project.json`)).toMatchObject({
      name: 'connector-close-io',
      projectType: 'application',
      tags: ['type:app', 'scope:connector'],
    });
    const files = [
      'webpack.config.js',
      'tsconfig.json',
      'tsconfig.app.json',
      'tsconfig.spec.json',
      'jest.config.cjs',
      'eslint.config.mjs',
      'README.md',
      'src/main.ts',
      'src/app.config.ts',
      'src/app.config.spec.ts',
      'src/close-io.config.ts',
      'src/create-connector.ts',
      'src/close-io.connector.ts',
      'src/close-io.connector.spec.ts',
      'src/close-io-failure.classifier.ts',
      'src/close-io-failure.classifier.spec.ts',
      'src/close-io-api/close-io-api.client.ts',
      'src/close-io-api/close-io-api.error.ts',
      'src/record/close-io-record.mapper.ts',
      'src/record/close-io-record.mapper.spec.ts',
      'src/accounts/close-io-accounts.ts',
      'src/accounts/close-io-accounts.spec.ts',
      'test/enriched-lead.ts',
      'test/close-io-delivery.int-spec.ts',
      'test/support/close-io-sandbox.ts',
      'jest.int.config.cjs',
    ];
    for (const file of files) {
      const content = tree.read(`${root}/${file}`, 'utf-8');
      expect(content).not.toBeNull();
      expect(content).not.toMatch(/<%|%>|__name__/);
    }
    const connector = tree.read(`${root}/src/close-io.connector.ts`, 'utf-8');
    expect(connector).toContain('export class CloseIoConnector implements CrmConnector<CloseIoRecord>');
    expect(connector).toContain("readonly destination = 'close-io';");
    expect(connector).toMatch(/maxBatchSize: 50,\s+callsPerWindow: 25,\s+callWindowMs: 10_000,/);
    expect(tree.read(`${root}/src/close-io.config.ts`, 'utf-8')).toContain('CLOSE_IO_API_TOKEN?: string;');
    expect(tree.read(`${root}/src/app.config.ts`, 'utf-8')).toContain(
      'return { ...config, accounts: loadCloseIoAccounts(config.closeIo) };',
    );
    expect(tree.read(`${root}/src/accounts/close-io-accounts.ts`, 'utf-8')).toContain(
      'return loadConnectorAccounts(config.CONNECTOR_ACCOUNTS_FILE, {',
    );
    expect(readJson(tree, `${root}/project.json`).targets).toEqual({ 'test-int': {} });
    expect(tree.read(`${root}/test/support/close-io-sandbox.ts`, 'utf-8')).toContain(
      'export const CLOSE_IO_SANDBOXED: SandboxedConnectorSetup',
    );
    // Keys naming a lead are scoped by account: the record, and the suite's reading of it.
    const mapper = tree.read(`${root}/src/record/close-io-record.mapper.ts`, 'utf-8');
    expect(mapper).toContain('export const closeIoExternalId = ({ routing, lead }: LeadEnrichedV1) =>');
    expect(mapper).toContain('`${routing.account_id}:${lead.lead_id}`');
    expect(mapper).toContain('externalId: closeIoExternalId(event),');
    expect(tree.read(`${root}/test/support/close-io-sandbox.ts`, 'utf-8')).toContain(
      'keyOf: (lead) => closeIoExternalId(lead),',
    );
  });

  it('changes, outside its own folders, only a line of the registry and of the sandbox index, and its deployment entries', async () => {
    const contentOf = (path: string) => tree.read(path, 'utf8') ?? '';
    const before = new Map(tree.listChanges().map(({ path }) => [path, contentOf(path)]));
    await connectorGenerator(tree, { name: 'close-io', skipFormat: true });

    const own = [
      'apps/connector-close-io/',
      'apps/crm-sandbox/src/close-io/',
      'config/local/connectors/close-io.json',
      'k8s/base/connectors/close-io/',
    ];
    const outside = tree
      .listChanges()
      .map(({ path }) => path)
      .filter((path) => before.get(path) !== contentOf(path))
      .filter((path) => !own.some((prefix) => path.startsWith(prefix)));
    // Besides these, the scripts the generator runs afterwards regenerate files from the registry.
    const deployment = [
      'docker/compose.yaml',
      'k8s/README.md', // the connector's Secret, documented
      ...workspaceFiles().filter((file) => file.startsWith('k8s/overlays/')),
    ];
    expect(outside.sort()).toEqual([CONNECTOR_REGISTRY, SANDBOX_INDEX, ...deployment].sort());
    const added = (file: string) => {
      const old = (before.get(file) as string).split('\n');
      return contentOf(file)
        .split('\n')
        .filter((line) => !old.includes(line));
    };
    expect(added(CONNECTOR_REGISTRY)).toHaveLength(1);
    // The sandbox index: its entry and the imports of its fake CRM's module and config.
    const indexLines = added(SANDBOX_INDEX);
    expect(indexLines.filter((line) => !line.startsWith('import '))).toHaveLength(1);
    expect(indexLines.every((line) => line.includes('close-io') || line.includes('CloseIo'))).toBe(true);
  });

  it('writes its fake CRM into the crm-sandbox and its local accounts file, keeping ones written by hand', async () => {
    tree.write('config/local/connectors/pipedrive.json', '{ "hand": "made" }\n');
    await connectorGenerator(tree, { name: 'close-io', maxBatchSize: 50, skipFormat: true });
    await connectorGenerator(tree, { name: 'pipedrive', skipFormat: true });

    const sandbox = 'apps/crm-sandbox/src/close-io';
    for (const file of [
      'close-io.module.ts',
      'close-io.config.ts',
      'close-io.error.ts',
      'close-io-api.guard.ts',
      'close-io-api.controller.ts',
      'close-io-admin.controller.ts',
      'close-io-store.service.ts',
      'close-io-standalone.ts',
      'close-io.spec.ts',
    ]) {
      const content = tree.read(`${sandbox}/${file}`, 'utf-8');
      expect(content).not.toBeNull();
      expect(content).not.toMatch(/<%|%>|__name__/);
    }
    expect(tree.read(`${sandbox}/close-io-api.guard.ts`, 'utf-8')).toContain(
      "export const CLOSE_IO = 'close-io' as string as Crm;",
    );
    expect(tree.read(`${sandbox}/close-io.config.ts`, 'utf-8')).toContain('CLOSE_IO_MAX_BATCH_SIZE = 50;');
    // Its endpoints are named where they are served: the request log and lost answers know them.
    const api = tree.read(`${sandbox}/close-io-api.controller.ts`, 'utf-8');
    expect(api).toContain("@CrmEndpoint('close-io.records.batch-upsert')");
    expect(api).toContain("@CrmEndpoint('close-io.records.list')");
    expect(JSON.parse(tree.read('config/local/connectors/close-io.json', 'utf-8') ?? '')).toEqual({
      default: { credentials: { apiToken: 'close-io-sandbox-token' } },
      accounts: {},
    });
    expect(tree.read('config/local/connectors/pipedrive.json', 'utf-8')).toBe('{ "hand": "made" }\n');

    tree.write('apps/crm-sandbox/src/followupboss/followupboss.module.ts', '// by hand\n');
    await connectorGenerator(tree, { name: 'followupboss', skipFormat: true });
    expect(tree.read('apps/crm-sandbox/src/followupboss/followupboss.module.ts', 'utf-8')).toBe(
      '// by hand\n',
    );
    expect(tree.exists('apps/crm-sandbox/src/followupboss/followupboss.spec.ts')).toBe(false);
  });

  it("adds its line to the connector registry (next free local port), so that its topics and stack service follow, and its fake CRM to the sandbox's index", async () => {
    await connectorGenerator(tree, { name: 'close-io', displayName: "Close's CRM", skipFormat: true });
    await connectorGenerator(tree, { name: 'pipedrive', skipFormat: true });
    const registry = tree.read(CONNECTOR_REGISTRY, 'utf-8') ?? '';
    const ports = [...registry.matchAll(/localPort: (\d+)/g)].map((match) => Number(match[1]));
    const highest = Math.max(...ports.slice(0, -2));
    expect(registry).toContain(
      `  { id: 'close-io', displayName: 'Close\\'s CRM', localPort: ${highest + 1}, crmUrlEnv: 'CLOSE_IO_BASE_URL' },\n`,
    );
    expect(registry).toContain(
      `  { id: 'pipedrive', displayName: 'Pipedrive', localPort: ${highest + 2}, crmUrlEnv: 'PIPEDRIVE_BASE_URL' },\n] as const`,
    );
    const index = tree.read(SANDBOX_INDEX, 'utf-8') ?? '';
    expect(index).toContain("import { PipedriveModule } from './pipedrive/pipedrive.module';");
    expect(index).toContain("import { CloseIoConfig } from './close-io/close-io.config';");
    expect(index).toContain(
      "  pipedrive: sandboxCrm({ config: PipedriveConfig, apiPath: '/v1/records', module: (config) => PipedriveModule.register(config) }),\n} satisfies",
    );
    expect(index).toContain("  'close-io': sandboxCrm({ config: CloseIoConfig,");
  });

  it('adds its Kubernetes folder (the kustomization listing it is regenerated from the registry), overlay images, dev Secret and documented Secret', async () => {
    await connectorGenerator(tree, { name: 'pipedrive', skipFormat: true });

    const deployment = tree.read('k8s/base/connectors/pipedrive/deployment.yaml', 'utf-8') ?? '';
    expect(deployment).toContain('image: lead-platform/connector-pipedrive');
    expect(deployment).toContain('key: PIPEDRIVE_API_TOKEN');
    expect(deployment).not.toMatch(/salesforce|SALESFORCE/);
    expect(tree.read('k8s/base/connectors/pipedrive/scaling.yaml', 'utf-8')).toContain(
      'consumerGroup: connector-pipedrive',
    );

    const dev = parse(tree.read('k8s/overlays/dev/kustomization.yaml', 'utf-8') ?? '');
    expect(dev.images).toContainEqual({ name: 'lead-platform/connector-pipedrive', newTag: 'dev' });
    expect(dev.secretGenerator).toContainEqual({
      name: 'connector-pipedrive-credentials',
      literals: ['PIPEDRIVE_BASE_URL=http://crm-sandbox:4010', 'PIPEDRIVE_API_TOKEN=sandbox-token-change-me'],
    });
    const prod = parse(tree.read('k8s/overlays/prod/kustomization.yaml', 'utf-8') ?? '');
    expect(prod.images).toContainEqual(
      expect.objectContaining({
        name: 'lead-platform/connector-pipedrive',
        newName: expect.stringMatching(/\/lead-platform\/connector-pipedrive$/),
      }),
    );
    expect(prod.secretGenerator ?? []).not.toContainEqual(
      expect.objectContaining({ name: 'connector-pipedrive-credentials' }),
    );
    expect(tree.read('k8s/README.md', 'utf-8')).toContain(
      '| `connector-pipedrive-credentials` | `PIPEDRIVE_BASE_URL`, `PIPEDRIVE_API_TOKEN` | connector-pipedrive |',
    );
  });

  it('adds a compose service built like the other connectors', async () => {
    await connectorGenerator(tree, { name: 'pipedrive', skipFormat: true });
    const compose = tree.read('docker/compose.yaml', 'utf-8') ?? '';
    const service = parse(compose, { merge: true }).services['connector-pipedrive'];
    expect(service).toMatchObject({
      image: 'lead-platform/connector-pipedrive:local',
      build: { context: '..', dockerfile: 'docker/Dockerfile', args: { APP: 'connector-pipedrive' } },
      read_only: true,
      environment: {
        PORT: 3000,
        PIPEDRIVE_BASE_URL: 'http://crm-sandbox:4010',
        PIPEDRIVE_API_TOKEN: 'sandbox-token-change-me',
      },
      depends_on: { 'crm-sandbox': { condition: 'service_healthy' } },
    });
    expect(service.environment.KAFKA_BROKERS).toBeDefined();
    expect(service.environment).not.toHaveProperty('HUBSPOT_ACCESS_TOKEN');
    expect(compose).toContain('\n  connector-pipedrive:\n    <<: *app\n');
  });

  it('refuses a connector that exists, and a name that is not an id', async () => {
    tree.write('apps/connector-hubspot/project.json', '{}');
    await expect(connectorGenerator(tree, { name: 'hubspot' })).rejects.toThrow(
      'apps/connector-hubspot already exists',
    );
    expect(() => connectorNames('Pipe Drive')).toThrow(/is not a connector id/);
    expect(() => connectorNames('pipe--drive')).toThrow(/is not a connector id/);
  });
});
