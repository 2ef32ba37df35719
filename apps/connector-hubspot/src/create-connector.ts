import type { ConnectorLogger } from '@lead-delivery/connector-kit';
import type { HubspotAppConfig } from './app.config';
import { HubspotClient } from './hubspot-api/hubspot-api.client';
import { HubspotConnector } from './hubspot.connector';

/** The connector with its real client; main.ts runs it, integration tests start it with createConnectorApp. */
export function createHubspotConnector(config: HubspotAppConfig, logger: ConnectorLogger): HubspotConnector {
  logger.info({ accounts: config.accounts.configured.length }, 'hubspot accounts loaded');
  return new HubspotConnector(
    config.accounts,
    new HubspotClient({ timeoutMs: config.hubspot.HUBSPOT_REQUEST_TIMEOUT_MS }),
  );
}
