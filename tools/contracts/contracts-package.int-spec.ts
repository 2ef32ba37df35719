import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '../docs/app-configs';

// `npx nx build contracts`, then the package as npm would publish it (`npm pack`), installed alone into a
// consumer outside the workspace: no node_modules of ours to fall back on.

const PACKAGE_DIR = join(WORKSPACE_ROOT, 'dist', 'libs', 'contracts');
const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
    // A failure's stderr goes into the thrown error's message, not into the test output.
    stdio: ['ignore', 'pipe', 'pipe'],
  });

interface PackResult {
  filename: string;
  files: { path: string }[];
}

let consumer: string;
let packed: PackResult;

beforeAll(() => {
  run(
    join(WORKSPACE_ROOT, 'node_modules', '.bin', 'nx'),
    ['build', 'contracts', '--outputStyle=static'],
    WORKSPACE_ROOT,
  );
  [packed] = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], PACKAGE_DIR)) as PackResult[];

  consumer = mkdtempSync(join(tmpdir(), 'contracts-consumer-'));
  const installed = join(consumer, 'node_modules', '@lead-delivery', 'contracts');
  mkdirSync(installed, { recursive: true });
  run('npm', ['pack', '--pack-destination', consumer], PACKAGE_DIR);
  run('tar', ['-xzf', join(consumer, packed.filename), '-C', installed, '--strip-components=1'], consumer);
});

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the published @lead-delivery/contracts', () => {
  it('packs the compiled entry points with their declarations, the JSON Schemas and the AsyncAPI document', () => {
    const files = packed.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'src/core.js',
        'src/core.d.ts',
        'src/validation.js',
        'src/validation.d.ts',
        'src/signature.js',
        'src/signature.d.ts',
        'src/events/lead-delivery.v1.d.ts',
        'schemas/events/lead-received.v1.schema.json',
        'schemas/events/lead-enriched.v1.schema.json',
        'schemas/events/lead-delivery.v1.schema.json',
        'schemas/inbound/standard-lead.schema.json',
        'schemas/inbound/enhanced-lead.schema.json',
        'asyncapi/lead-platform.asyncapi.yaml',
      ]),
    );
    const unexpected = files.filter(
      (file) =>
        !/^(LICENSE|README\.md|package\.json)$/.test(file) &&
        !/^src\/.+\.(js|d\.ts|json)$/.test(file) &&
        !/^schemas\/(events|inbound)\/[^/]+\.schema\.json$/.test(file) &&
        file !== 'asyncapi/lead-platform.asyncapi.yaml',
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((file) => /\.(ts|map)$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('src/index.') || file.includes('.spec.'))).toEqual([]);
  });

  it('is an internal, unlicensed package with no runtime dependency, validation and signature peers optional', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));
    const root = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: '@lead-delivery/contracts',
      license: root.license,
      main: './src/core.js',
      types: './src/core.d.ts',
      publishConfig: { access: 'restricted', registry: expect.stringMatching(/^https:\/\//) },
    });
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(
      [
        'ajv',
        'ajv-formats',
        'canonicalize',
        'class-transformer',
        'class-validator',
        'reflect-metadata',
      ].sort(),
    );
    for (const [peer, range] of Object.entries(manifest.peerDependencies)) {
      expect(manifest.peerDependenciesMeta[peer]).toEqual({ optional: true });
      expect(range).toBe(`^${root.dependencies[peer]}`);
    }
  });

  it('serves the topics and event types to a consumer that installed nothing else', () => {
    writeFileSync(
      join(consumer, 'consumer.ts'),
      [
        "import { HEADERS, LEAD_DELIVERY_V1, TOPICS, type LeadDeliveryV1 } from '@lead-delivery/contracts';",
        'const outcome: LeadDeliveryV1["outcome"] = "delivered";',
        'console.log(JSON.stringify([TOPICS.leadDelivery, LEAD_DELIVERY_V1.type, HEADERS.ceType, outcome]));',
        "console.log(require.resolve('@lead-delivery/contracts/schemas/events/lead-delivery.v1.schema.json'));",
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          types: [],
          skipLibCheck: false,
          outDir: 'out',
        },
        files: ['consumer.ts', 'require.d.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'require.d.ts'),
      'declare const require: { resolve(id: string): string };\n',
    );
    run(
      process.execPath,
      [join(WORKSPACE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      consumer,
    );

    const [printed, schemaPath] = run(process.execPath, [join('out', 'consumer.js')], consumer)
      .trim()
      .split('\n');
    expect(JSON.parse(printed)).toEqual([
      'leads.delivery.v1',
      'lead-delivery.lead.delivery.v1',
      'ce_type',
      'delivered',
    ]);
    expect(schemaPath).toBe(
      join(
        consumer,
        'node_modules',
        '@lead-delivery',
        'contracts',
        'schemas',
        'events',
        'lead-delivery.v1.schema.json',
      ),
    );
  });

  it('needs its optional peers only on the validation and signature entry points', () => {
    const load = (entry: string) => () => run(process.execPath, ['-e', `require('${entry}')`], consumer);
    expect(load('@lead-delivery/contracts')).not.toThrow();
    expect(load('@lead-delivery/contracts/validation')).toThrow(
      /Cannot find module '(reflect-metadata|class-\w+|ajv[\w-]*)'/,
    );
    expect(load('@lead-delivery/contracts/signature')).toThrow(/Cannot find module 'canonicalize'/);
  });
});
