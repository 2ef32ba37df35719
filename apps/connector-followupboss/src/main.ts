import { runConnector } from '@lead-delivery/connector-kit';
import { loadFollowupbossConfig } from './app.config';
import { createFollowupbossConnector } from './create-connector';

void runConnector({
  service: 'connector-followupboss',
  loadConfig: loadFollowupbossConfig,
  createConnector: createFollowupbossConnector,
});
