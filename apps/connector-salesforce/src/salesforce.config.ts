import { BooleanFromEnv, EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

export const RECORD_MODES = ['per-lead', 'per-person'] as const;
/** `per-lead`: one CRM record per lead. `per-person`: one per person (`person_key`), each inquiry an activity on it. */
export type RecordMode = (typeof RECORD_MODES)[number];

export const AUTH_FLOWS = ['client_credentials', 'jwt_bearer'] as const;
export type AuthFlow = (typeof AUTH_FLOWS)[number];

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const CUSTOM_FIELD = /^[A-Za-z][A-Za-z0-9_]*__c$/;

/**
 * The Salesforce connector's own settings. The SALESFORCE_* credentials are the default org, used by every
 * account that CONNECTOR_ACCOUNTS_FILE does not give credentials of its own.
 */
export class SalesforceConfig {
  @EnvVar({
    description:
      'Base URL that issues tokens: the My Domain of the default org (https://<domain>.my.salesforce.com; the client-credentials flow is refused on login.salesforce.com), also used by accounts-file credentials that name no loginUrl.',
    example: 'http://127.0.0.1:4010',
  })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  SALESFORCE_LOGIN_URL?: string;

  @EnvVar({ description: 'OAuth flow of the default org: client_credentials, or jwt_bearer.' })
  @IsIn(AUTH_FLOWS)
  SALESFORCE_AUTH_FLOW: AuthFlow = 'client_credentials';

  @EnvVar({ description: "Consumer key of the default org's connected app (External Client App)." })
  @IsOptional()
  @IsString()
  SALESFORCE_CLIENT_ID?: string;

  @EnvVar({ description: 'Consumer secret of the default org (client_credentials).', secret: true })
  @IsOptional()
  @IsString()
  SALESFORCE_CLIENT_SECRET?: string;

  @EnvVar({ description: 'User the JWT bearer flow acts as (its `sub`), for the default org (jwt_bearer).' })
  @IsOptional()
  @IsString()
  SALESFORCE_JWT_USERNAME?: string;

  @EnvVar({
    description:
      'PEM private key (RS256) whose certificate is on the connected app; `\\n` escapes allowed (jwt_bearer).',
    secret: true,
  })
  @IsOptional()
  @IsString()
  SALESFORCE_JWT_PRIVATE_KEY?: string;

  @EnvVar({
    description:
      'Audience of the JWT: https://login.salesforce.com, or https://test.salesforce.com for a sandbox org.',
  })
  @IsUrl(URL_OPTIONS)
  SALESFORCE_JWT_AUDIENCE = 'https://login.salesforce.com';

  @EnvVar({ description: 'REST API version; sObject Collections upsert needs 46.0 or later.' })
  @Matches(/^(4[6-9]|[5-9]\d)\.0$/, { message: 'must be 46.0 or later, e.g. 62.0' })
  SALESFORCE_API_VERSION = '62.0';

  @EnvVar({
    description: 'Lead field (External ID + Unique) that holds the lead id: the per-lead upsert key.',
  })
  @Matches(CUSTOM_FIELD, { message: 'must be the API name of a custom field (…__c)' })
  SALESFORCE_LEAD_EXTERNAL_ID_FIELD = 'Realtor_Lead_Id__c';

  @EnvVar({
    description: 'Lead field (External ID + Unique) that holds the person key: the per-person upsert key.',
  })
  @Matches(CUSTOM_FIELD, { message: 'must be the API name of a custom field (…__c)' })
  SALESFORCE_PERSON_EXTERNAL_ID_FIELD = 'Realtor_Person_Key__c';

  @EnvVar({
    description:
      'Record mode of accounts that do not set one: per-lead (one Lead per lead) or per-person (one Lead per person, each inquiry a Task on it).',
  })
  @IsIn(RECORD_MODES)
  SALESFORCE_RECORD_MODE: RecordMode = 'per-lead';

  @EnvVar({
    description:
      'Per person: new inquiries (none of them possibly written before) have their Lead upserts and Tasks sent in one Composite call (at most 25 subrequests) instead of a collections upsert, then a collections create.',
  })
  @BooleanFromEnv()
  @IsBoolean()
  SALESFORCE_COMPOSITE_WRITES = true;

  @EnvVar({
    description: 'Longest a Salesforce call (token or data) may take before it counts as failed, in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  SALESFORCE_REQUEST_TIMEOUT_MS = 30_000;

  @EnvVar({
    description:
      'JSON file of per-account settings: credentials (each account may be its own org), record mode and mapping overrides, plus a default. Mount it from a Secret.',
    example: 'config/local/connectors/salesforce.accounts.json',
  })
  @IsOptional()
  @IsString()
  CONNECTOR_ACCOUNTS_FILE?: string;
}
