import { loadConnectorConfig } from '@lead-delivery/connector-kit';
import { loadHubspotAccounts } from './accounts/hubspot-accounts';
import { HubspotConfig } from './hubspot.config';

/**
 * The environment (the kit's fragments plus HUBSPOT_*), then CONNECTOR_ACCOUNTS_FILE; throws one
 * ConfigError listing every problem of a stage.
 */
export function loadHubspotConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConnectorConfig({ hubspot: HubspotConfig }, env);
  return { ...config, accounts: loadHubspotAccounts(config.hubspot) };
}

export type HubspotAppConfig = ReturnType<typeof loadHubspotConfig>;
