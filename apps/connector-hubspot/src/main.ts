import { runConnector } from '@lead-delivery/connector-kit';
import { loadHubspotConfig } from './app.config';
import { createHubspotConnector } from './create-connector';

void runConnector({
  service: 'connector-hubspot',
  loadConfig: loadHubspotConfig,
  createConnector: createHubspotConnector,
});
