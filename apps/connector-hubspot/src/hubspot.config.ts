import { EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

/**
 * The HubSpot connector's own settings. HUBSPOT_ACCESS_TOKEN is the default portal, used by every account
 * that CONNECTOR_ACCOUNTS_FILE does not give a token of its own.
 */
export class HubspotConfig {
  @EnvVar({
    description: 'Base URL of the HubSpot API, without a trailing slash (the crm-sandbox locally).',
    example: 'http://127.0.0.1:4010',
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  HUBSPOT_BASE_URL = 'https://api.hubapi.com';

  @EnvVar({
    description: 'Private-app access token of the default portal (scopes crm.objects.contacts.read/write).',
    secret: true,
  })
  @IsOptional()
  @IsString()
  HUBSPOT_ACCESS_TOKEN?: string;

  @EnvVar({ description: 'Longest a HubSpot call may take before it counts as failed, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  HUBSPOT_REQUEST_TIMEOUT_MS = 30_000;

  @EnvVar({
    description:
      'JSON file of per-account settings: token (each account may be its own portal), mapping overrides, plus a default. Mount it from a Secret.',
    example: 'config/local/connectors/hubspot.accounts.json',
  })
  @IsOptional()
  @IsString()
  CONNECTOR_ACCOUNTS_FILE?: string;
}
