import { ConfigError, describeConfig } from '@lead-delivery/config';
import { SandboxConfig, loadSandboxConfig } from './app.config';
import { HubspotConfig } from './hubspot/hubspot.config';
import { SalesforceConfig } from './salesforce/salesforce.config';

describe('sandbox configuration', () => {
  it('starts with working defaults: one org, one portal, no faults', () => {
    const config = loadSandboxConfig({});
    expect(config.sandbox).toMatchObject({ PORT: 4010, SANDBOX_LATENCY_MS: 0, LOG_FORMAT: 'json' });
    expect(config.salesforce.SALESFORCE_ORGS).toHaveLength(1);
    expect(config.salesforce.SALESFORCE_LEAD_EXTERNAL_ID_FIELDS).toEqual([
      'Realtor_Lead_Id__c',
      'Realtor_Person_Key__c',
    ]);
    expect(config.hubspot.HUBSPOT_PORTALS).toHaveLength(1);
  });

  it('reports every problem at once, without showing credentials', () => {
    const load = () =>
      loadSandboxConfig({
        PORT: 'http',
        SALESFORCE_ORGS: 'org:client-id:super-secret-value',
        HUBSPOT_PORTALS: 'pat-na1-leaked-token',
        SALESFORCE_LEAD_DUPLICATE_RULE: 'sometimes',
        SALESFORCE_JWT_PUBLIC_KEY: 'not a key',
        HUBSPOT_CONTACT_CUSTOM_PROPERTIES: 'Bad Name',
      });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const { problems, message } = error as ConfigError;
      expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
        'HUBSPOT_CONTACT_CUSTOM_PROPERTIES',
        'HUBSPOT_PORTALS',
        'PORT',
        'SALESFORCE_JWT_PUBLIC_KEY',
        'SALESFORCE_LEAD_DUPLICATE_RULE',
        'SALESFORCE_ORGS',
      ]);
      expect(message).not.toContain('super-secret-value');
      expect(message).not.toContain('leaked-token');
    }
  });

  it('documents every variable', () => {
    for (const fragment of [SandboxConfig, SalesforceConfig, HubspotConfig]) {
      for (const variable of describeConfig(fragment))
        expect(variable.description.length).toBeGreaterThan(20);
    }
  });
});
