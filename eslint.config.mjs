import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// The arrows of DESIGN.md ("may depend on"), as Nx tags. `scope:*` says what a project is,
// `type:*` whether it is an app, a lib or test support.
const dependencyRules = [
  { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:config', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:database', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:observability', onlyDependOnLibsWithTags: ['scope:config'] },
  { sourceTag: 'scope:messaging', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:config'] },
  {
    // The kit keeps the connectors' PostgreSQL state (delivery ledger, call budgets); the connectors never see it.
    sourceTag: 'scope:connector-kit',
    onlyDependOnLibsWithTags: [
      'scope:messaging',
      'scope:contracts',
      'scope:observability',
      'scope:config',
      'scope:database',
    ],
  },
  // The dead-letter operations the DLQ CLI and the read API share (list, inspect, replay once).
  {
    sourceTag: 'scope:dead-letters',
    onlyDependOnLibsWithTags: [
      'scope:connector-kit',
      'scope:messaging',
      'scope:contracts',
      'scope:observability',
      'scope:config',
    ],
  },
  {
    sourceTag: 'scope:service',
    onlyDependOnLibsWithTags: [
      'scope:contracts',
      'scope:messaging',
      'scope:observability',
      'scope:config',
      'scope:database',
      'scope:dead-letters',
    ],
  },
  // The operator console runs in the browser and talks to the read API over HTTP: no server lib.
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: [] },
  {
    sourceTag: 'scope:connector',
    onlyDependOnLibsWithTags: ['scope:connector-kit', 'scope:contracts', 'scope:config'],
  },
  { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:config'] },
  { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
];

// External packages a project must not import: contracts are published to other departments and stay
// framework-free; CRM connectors never touch the database or Kafka directly (connector-kit does).
const bannedImports = [
  { sourceTag: 'scope:contracts', bannedExternalImports: ['@nestjs/*', 'kafkajs', 'typeorm', 'pg'] },
  { sourceTag: 'scope:connector', bannedExternalImports: ['typeorm', 'pg', 'kafkajs'] },
  { sourceTag: 'scope:sandbox', bannedExternalImports: ['typeorm', 'pg', 'kafkajs'] },
  {
    sourceTag: 'scope:console',
    bannedExternalImports: ['@nestjs/*', 'kafkajs', 'typeorm', 'pg', 'pino'],
  },
];

const boundaries = (extraAllowed) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    // The shared build and lint configuration every project's config file extends.
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/tools/build/node-app\\.webpack$'],
    depConstraints: [
      ...dependencyRules.map((rule) =>
        rule.onlyDependOnLibsWithTags.includes('*')
          ? rule
          : { ...rule, onlyDependOnLibsWithTags: [...rule.onlyDependOnLibsWithTags, ...extraAllowed] },
      ),
      ...bannedImports,
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  prettier,
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '.cache/**', 'tools/generators/**/files/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Persistence serves the dead-letter desk: the kit's main entry would load the connectors' whole pipeline there.
    files: ['libs/dead-letters/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@lead-delivery/connector-kit', message: 'Import @lead-delivery/connector-kit/records.' },
          ],
        },
      ],
    },
  },
  {
    // Test support (@lead-delivery/testing) is for tests only.
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', '**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['scope:testing']) },
  },
];
