import { createConnectorApp, createConnectorLogger } from '@lead-delivery/connector-kit';
import { CONSUMER_GROUPS } from '@lead-delivery/contracts';
import { ConnectorTestBed } from '@lead-delivery/testing';
import { loadSalesforceConfig } from '../../src/app.config';
import { createSalesforceConnector } from '../../src/create-connector';

/** The Salesforce connector app on the real broker, as deployed, with a recorder of what it writes back. */
export function salesforceTestBed(): ConnectorTestBed {
  return new ConnectorTestBed({
    destination: 'salesforce',
    group: CONSUMER_GROUPS.connectorSalesforce,
    createApp: async (env) => {
      const config = loadSalesforceConfig(env);
      const logger = createConnectorLogger(CONSUMER_GROUPS.connectorSalesforce, config.logging);
      return createConnectorApp({ connector: createSalesforceConnector(config, logger), config, logger });
    },
  });
}
