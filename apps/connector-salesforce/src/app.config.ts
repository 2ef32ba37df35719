import { loadConnectorConfig } from '@lead-delivery/connector-kit';
import { loadSalesforceAccounts } from './accounts/salesforce-accounts';
import { SalesforceConfig } from './salesforce.config';

/**
 * The environment (the kit's fragments plus SALESFORCE_*), then CONNECTOR_ACCOUNTS_FILE; throws one
 * ConfigError listing every problem of a stage.
 */
export function loadSalesforceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConnectorConfig({ salesforce: SalesforceConfig }, env);
  return { ...config, accounts: loadSalesforceAccounts(config.salesforce) };
}

export type SalesforceAppConfig = ReturnType<typeof loadSalesforceConfig>;
