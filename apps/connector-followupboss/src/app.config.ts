import { loadConnectorConfig } from '@lead-delivery/connector-kit';
import { FollowupbossConfig } from './followupboss.config';

/** The environment: the kit's fragments plus FOLLOWUPBOSS_*; throws one ConfigError listing every problem. */
export function loadFollowupbossConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConnectorConfig({ followupboss: FollowupbossConfig }, env);
}

export type FollowupbossAppConfig = ReturnType<typeof loadFollowupbossConfig>;
