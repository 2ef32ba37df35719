import { createConnectorApp, createConnectorLogger } from '@lead-delivery/connector-kit';
import { CONSUMER_GROUPS } from '@lead-delivery/contracts';
import { ConnectorTestBed } from '@lead-delivery/testing';
import { loadHubspotConfig } from '../../src/app.config';
import { createHubspotConnector } from '../../src/create-connector';

/** The HubSpot connector app on the real broker, as deployed, with a recorder of what it writes back. */
export function hubspotTestBed(): ConnectorTestBed {
  return new ConnectorTestBed({
    destination: 'hubspot',
    group: CONSUMER_GROUPS.connectorHubspot,
    createApp: async (env) => {
      const config = loadHubspotConfig(env);
      const logger = createConnectorLogger(CONSUMER_GROUPS.connectorHubspot, config.logging);
      return createConnectorApp({ connector: createHubspotConnector(config, logger), config, logger });
    },
  });
}
