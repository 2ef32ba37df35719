import { CONNECTORS, connectorAppOf } from '@lead-delivery/contracts';
import { readFileSync } from 'node:fs';
import { appConfigurations } from './app-configs';
import { CONFIG_REFERENCE_FILE, GENERATE_COMMAND, renderConfigReference } from './config-reference';

const apps = appConfigurations();
const variable = (app: string, name: string) =>
  apps.find((candidate) => candidate.app === app)?.variables.find((candidate) => candidate.name === name);

describe('configuration reference (docs/configuration.md)', () => {
  it(`is up to date with the config classes (else run ${GENERATE_COMMAND})`, () => {
    expect(readFileSync(CONFIG_REFERENCE_FILE, 'utf8')).toBe(renderConfigReference(apps));
  });

  it('finds every app with a src/app.config.ts and what it reads, in its own and the shared config classes', () => {
    expect(apps.map((app) => app.app)).toEqual(
      expect.arrayContaining(['gateway', 'persistence', 'enrichment', 'connector-salesforce', 'crm-sandbox']),
    );
    expect(variable('gateway', 'ACCOUNTS_FILE')).toMatchObject({
      required: true,
      shared: false,
      declaredBy: 'GatewayConfig',
    });
    expect(variable('gateway', 'KAFKA_BROKERS')).toMatchObject({
      required: true,
      shared: true,
      declaredBy: 'KafkaConfig',
    });
    expect(variable('persistence', 'DATABASE_URL')).toMatchObject({ required: true, secret: true });
    expect(variable('enrichment', 'DATABASE_URL')).toBeUndefined();
  });

  it('tells required variables from those with a default, an @IsOptional or a condition', () => {
    expect(variable('persistence', 'OPERATOR_TOKENS')?.required).toBe(true);
    expect(variable('persistence', 'READ_API_PORT')).toMatchObject({ required: false, default: '3001' });
    expect(variable('enrichment', 'SCORING_MODEL_FILE')?.required).toBe(false);
    expect(variable('gateway', 'KAFKA_SASL_USERNAME')?.required).toBe(false);
  });

  it("prefers an app's own class over a shared one declaring the same name", () => {
    expect(variable('crm-sandbox', 'PORT')).toMatchObject({ declaredBy: 'SandboxConfig', default: '4010' });
    expect(variable('gateway', 'PORT')).toMatchObject({ declaredBy: 'HttpConfig', default: '3000' });
  });

  it('never shows the default of a secret', () => {
    expect(variable('crm-sandbox', 'SALESFORCE_ORGS')).toMatchObject({ secret: true });
    expect(variable('crm-sandbox', 'SALESFORCE_ORGS')?.default).toBeUndefined();
    expect(renderConfigReference(apps)).not.toContain('sandbox-client-secret');
  });

  it("documents every registry connector with its CRM URL, and the sandbox's settings of its CRM", () => {
    const sandbox = apps.find(({ app }) => app === 'crm-sandbox');
    for (const { id, crmUrlEnv } of CONNECTORS) {
      expect(variable(connectorAppOf(id), crmUrlEnv)).toMatchObject({ shared: false });
      const ownCrm = sandbox?.variables.filter(({ source }) =>
        source.startsWith(`apps/crm-sandbox/src/${id}/`),
      );
      expect(ownCrm?.length).toBeGreaterThan(0);
    }
  });
});
