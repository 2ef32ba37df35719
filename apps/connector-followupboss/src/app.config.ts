import { loadConnectorConfig } from '@lead-delivery/connector-kit';
import { loadFollowupbossAccounts } from './accounts/followupboss-accounts';
import { FollowupbossConfig } from './followupboss.config';

/**
 * The environment (the kit's fragments plus FOLLOWUPBOSS_*), then CONNECTOR_ACCOUNTS_FILE; throws one
 * ConfigError listing every problem of a stage.
 */
export function loadFollowupbossConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConnectorConfig({ followupboss: FollowupbossConfig }, env);
  return { ...config, accounts: loadFollowupbossAccounts(config.followupboss) };
}

export type FollowupbossAppConfig = ReturnType<typeof loadFollowupbossConfig>;
