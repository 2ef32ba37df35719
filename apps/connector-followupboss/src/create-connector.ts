import type { ConnectorLogger } from '@lead-delivery/connector-kit';
import type { FollowupbossAppConfig } from './app.config';
import { FollowupbossClient } from './followupboss-api/followupboss-api.client';
import { FollowupbossConnector } from './followupboss.connector';

/** The connector with its real client; main.ts runs it, integration tests start it with createConnectorApp. */
export function createFollowupbossConnector(
  config: FollowupbossAppConfig,
  logger: ConnectorLogger,
): FollowupbossConnector {
  logger.info({ accounts: config.accounts.configured.length }, 'followupboss accounts loaded');
  return new FollowupbossConnector(
    config.accounts,
    new FollowupbossClient({ timeoutMs: config.followupboss.FOLLOWUPBOSS_REQUEST_TIMEOUT_MS }),
  );
}
