import { runConnector } from '@lead-delivery/connector-kit';
import { loadFollowupbossConfig } from './app.config';
import { createFollowupbossConnector } from './create-connector';
import { createFollowupbossEraser } from './erasure/create-eraser';

void runConnector({
  service: 'connector-followupboss',
  loadConfig: loadFollowupbossConfig,
  createConnector: createFollowupbossConnector,
  createEraser: createFollowupbossEraser,
});
