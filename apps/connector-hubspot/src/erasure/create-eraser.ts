import type { HubspotAppConfig } from '../app.config';
import { HubspotErasureClient } from './hubspot-erasure.client';
import { HubspotEraser } from './hubspot.eraser';

/** The eraser with its real client; main.ts runs it beside the connector. */
export function createHubspotEraser(config: HubspotAppConfig): HubspotEraser {
  return new HubspotEraser(
    config.accounts,
    new HubspotErasureClient({ timeoutMs: config.hubspot.HUBSPOT_REQUEST_TIMEOUT_MS }),
  );
}
