import { EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsInt, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

/** The Follow Up Boss connector's own settings. */
export class FollowupbossConfig {
  @EnvVar({
    description: 'Base URL of the Follow Up Boss API, without a trailing slash.',
    example: 'https://api.followupboss.example',
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  FOLLOWUPBOSS_BASE_URL!: string;

  @EnvVar({ description: 'API token of Follow Up Boss.', secret: true })
  @IsString()
  @MinLength(1)
  FOLLOWUPBOSS_API_TOKEN!: string;

  @EnvVar({ description: 'Longest a Follow Up Boss call may take before it counts as failed, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  FOLLOWUPBOSS_REQUEST_TIMEOUT_MS = 30_000;
}
