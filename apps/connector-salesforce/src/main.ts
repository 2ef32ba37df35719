import { runConnector } from '@lead-delivery/connector-kit';
import { loadSalesforceConfig } from './app.config';
import { createSalesforceConnector } from './create-connector';
import { createSalesforceEraser } from './erasure/create-eraser';

void runConnector({
  service: 'connector-salesforce',
  loadConfig: loadSalesforceConfig,
  createConnector: createSalesforceConnector,
  createEraser: createSalesforceEraser,
});
