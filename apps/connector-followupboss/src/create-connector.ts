import type { ConnectorLogger } from '@lead-delivery/connector-kit';
import type { FollowupbossAppConfig } from './app.config';
import { FollowupbossClient } from './followupboss-api/followupboss-api.client';
import { FollowupbossConnector } from './followupboss.connector';

/** The connector with its real client; main.ts runs it. */
export function createFollowupbossConnector(
  { followupboss: settings }: FollowupbossAppConfig,
  logger: ConnectorLogger,
): FollowupbossConnector {
  logger.info({ baseUrl: settings.FOLLOWUPBOSS_BASE_URL }, 'followupboss connector configured');
  return new FollowupbossConnector(
    new FollowupbossClient({
      baseUrl: settings.FOLLOWUPBOSS_BASE_URL.replace(/\/+$/, ''),
      apiToken: settings.FOLLOWUPBOSS_API_TOKEN,
      timeoutMs: settings.FOLLOWUPBOSS_REQUEST_TIMEOUT_MS,
    }),
  );
}
