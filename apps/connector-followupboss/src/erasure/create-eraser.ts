import type { FollowupbossAppConfig } from '../app.config';
import { FollowupbossClient } from '../followupboss-api/followupboss-api.client';
import { FollowupbossEraser } from './followupboss.eraser';

/** The eraser with its real client; main.ts runs it beside the connector, integration tests too. */
export function createFollowupbossEraser(config: FollowupbossAppConfig): FollowupbossEraser {
  return new FollowupbossEraser(
    config.accounts,
    new FollowupbossClient({ timeoutMs: config.followupboss.FOLLOWUPBOSS_REQUEST_TIMEOUT_MS }),
  );
}
