import { runConnector } from '@lead-delivery/connector-kit';
import { loadHubspotConfig } from './app.config';
import { createHubspotConnector } from './create-connector';
import { createHubspotEraser } from './erasure/create-eraser';

void runConnector({
  service: 'connector-hubspot',
  loadConfig: loadHubspotConfig,
  createConnector: createHubspotConnector,
  createEraser: createHubspotEraser,
});
