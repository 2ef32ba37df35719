import { join } from 'node:path';
import { appConfigurations, WORKSPACE_ROOT, type AppConfiguration, type AppVariable } from './app-configs';
import { formatLike } from './prettier-format';

export const CONFIG_REFERENCE_FILE = join(WORKSPACE_ROOT, 'docs', 'configuration.md');
export const GENERATE_COMMAND = 'npx tsx tools/docs/generate-config-reference.ts';

/** docs/configuration.md: every app's environment variables, from its config classes, prettier-formatted. */
export function renderConfigReference(apps: AppConfiguration[] = appConfigurations()): string {
  const markdown = [
    '# Configuration reference',
    '',
    `Generated from the apps' config classes (\`@EnvVar\`) by \`${GENERATE_COMMAND}\`; do not edit by hand.`,
    '`tools/docs/config-reference.spec.ts` fails when this file is stale.',
    '',
    'Every app validates its whole environment at startup and, if anything is missing or wrong, exits with',
    'code 78 after printing every problem at once. Secret values are never printed, in errors or logs.',
    'Required variables have no default; a secret is marked 🔒 and must come from a secret store',
    '(a Kubernetes Secret), never from a ConfigMap or an image.',
    '',
    '| app | variables of its own | shared groups |',
    '| --- | --- | --- |',
    ...apps.map(
      (app) =>
        `| [${app.app}](#${app.app}) | ${ownVariables(app).length} | ${sharedGroups(app)
          .map(([group]) => `[${group}](#${anchor(group)})`)
          .join(', ')} |`,
    ),
    '',
    ...apps.flatMap((app) => [
      `## ${app.app}`,
      '',
      ...variableTable(ownVariables(app)),
      '',
      `Also reads: ${
        sharedGroups(app)
          .map(([group]) => `[${group}](#${anchor(group)})`)
          .join(', ') || 'nothing else'
      }.`,
      '',
    ]),
    '## Shared groups',
    '',
    'Config classes exported by the libs; each app that reads them lists them above.',
    '',
    ...allSharedGroups(apps).flatMap(([group, variables]) => [
      `### ${group}`,
      '',
      `From \`${variables[0].source}\`; read by ${apps
        .filter((app) => sharedGroups(app).some(([name]) => name === group))
        .map((app) => app.app)
        .join(', ')}.`,
      '',
      ...variableTable(variables),
      '',
    ]),
  ].join('\n');
  return formatLike(CONFIG_REFERENCE_FILE, markdown);
}

const ownVariables = (app: AppConfiguration) => app.variables.filter((variable) => !variable.shared);

function sharedGroups(app: AppConfiguration): [string, AppVariable[]][] {
  const groups = new Map<string, AppVariable[]>();
  for (const variable of app.variables.filter((candidate) => candidate.shared)) {
    groups.set(variable.declaredBy, [...(groups.get(variable.declaredBy) ?? []), variable]);
  }
  return [...groups];
}

function allSharedGroups(apps: AppConfiguration[]): [string, AppVariable[]][] {
  const groups = new Map<string, AppVariable[]>();
  for (const [group, variables] of apps.flatMap(sharedGroups)) {
    const known = groups.get(group) ?? [];
    groups.set(group, [
      ...known,
      ...variables.filter((variable) => !known.some(({ name }) => name === variable.name)),
    ]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

function variableTable(variables: AppVariable[]): string[] {
  if (variables.length === 0) return ['(none)'];
  return [
    '| variable | required | default | description |',
    '| --- | --- | --- | --- |',
    ...variables.map(
      (variable) =>
        `| \`${variable.name}\`${variable.secret ? ' 🔒' : ''} | ${variable.required ? 'yes' : ''} | ${
          variable.default === undefined || variable.default === '' ? '' : `\`${cell(variable.default)}\``
        } | ${cell(variable.description)}${variable.example ? ` Example: \`${cell(variable.example)}\`.` : ''} |`,
    ),
  ];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
