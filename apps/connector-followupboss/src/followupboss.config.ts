import { EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

/**
 * The Follow Up Boss connector's own settings. FOLLOWUPBOSS_API_TOKEN is the default account's API key,
 * used by every account that CONNECTOR_ACCOUNTS_FILE does not give a key of its own.
 */
export class FollowupbossConfig {
  @EnvVar({
    description: 'Base URL of the Follow Up Boss API, without a trailing slash (the crm-sandbox locally).',
    example: 'http://127.0.0.1:4010',
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  FOLLOWUPBOSS_BASE_URL = 'https://api.followupboss.com';

  @EnvVar({
    description:
      'API key of the default account (Admin → API in Follow Up Boss): the Basic-auth user name, with an empty password.',
    secret: true,
  })
  @IsOptional()
  @IsString()
  FOLLOWUPBOSS_API_TOKEN?: string;

  @EnvVar({ description: 'The registered system name, sent as X-System on every call.' })
  @IsString()
  @MinLength(1)
  FOLLOWUPBOSS_SYSTEM = 'LeadDeliveryPlatform';

  @EnvVar({
    description:
      'The key Follow Up Boss issued for the registered system (X-System-Key); without it the API allows about half the calls.',
    secret: true,
  })
  @IsOptional()
  @IsString()
  FOLLOWUPBOSS_SYSTEM_KEY?: string;

  @EnvVar({
    description: 'Lead source name of the events (Lead Flow routes by it), unless an account sets its own.',
  })
  @IsString()
  @MinLength(1)
  FOLLOWUPBOSS_SOURCE = 'Realtor.com';

  @EnvVar({ description: 'Longest a Follow Up Boss call may take before it counts as failed, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  FOLLOWUPBOSS_REQUEST_TIMEOUT_MS = 30_000;

  @EnvVar({
    description:
      'JSON file of per-account settings (API key, X-System-Key, source, event types, limits), plus a default. Mount it from a Secret.',
    example: 'config/local/connectors/followupboss.json',
  })
  @IsOptional()
  @IsString()
  CONNECTOR_ACCOUNTS_FILE?: string;
}
