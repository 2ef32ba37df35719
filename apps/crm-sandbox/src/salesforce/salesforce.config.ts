import { EnvVar, IntFromEnv, ListFromEnv } from '@lead-delivery/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const DUPLICATE_RULE_MODES = ['off', 'alert', 'block'] as const;
export type DuplicateRuleMode = (typeof DUPLICATE_RULE_MODES)[number];

/** The fake Salesforce: its orgs and their credentials, limits and Lead schema. */
export class SalesforceConfig {
  @EnvVar({
    description:
      'Orgs the fake Salesforce hosts, comma-separated `<orgId>:<clientId>:<clientSecret>` (client-credentials apps); each org keeps its own records.',
    secret: true,
  })
  @ListFromEnv()
  @Matches(/^00D[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?:[^:\s]+:[^:\s]+$/, {
    each: true,
    message: 'each entry must be <orgId (00D…)>:<clientId>:<clientSecret>',
  })
  SALESFORCE_ORGS: string[] = ['00D5e000000SbX1:sandbox-client-id:sandbox-client-secret'];

  @EnvVar({
    description:
      'PEM public key or X.509 certificate (`\\n` escapes allowed) that verifies JWT-bearer assertions (RS256). Unset: any well-formed, unexpired assertion of a known client id is accepted without a signature check.',
  })
  @IsOptional()
  @IsString()
  @Matches(/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/, { message: 'must be a PEM public key or certificate' })
  SALESFORCE_JWT_PUBLIC_KEY?: string;

  @EnvVar({
    description:
      'An access token expires after this much inactivity (Salesforce default: 2 hours), in seconds.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(86_400)
  SALESFORCE_SESSION_TIMEOUT_SECONDS = 7_200;

  @EnvVar({
    description:
      'API requests per org per rolling 24 h (Sforce-Limit-Info); past it every call is 403 REQUEST_LIMIT_EXCEEDED.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  SALESFORCE_DAILY_API_LIMIT = 100_000;

  @EnvVar({ description: 'Lead fields that are External ID + Unique (text, 255), usable as upsert keys.' })
  @ListFromEnv()
  @Matches(/^[A-Za-z][A-Za-z0-9_]*__c$/, {
    each: true,
    message: 'each must be a custom field name ending in __c',
  })
  SALESFORCE_LEAD_EXTERNAL_ID_FIELDS: string[] = ['Realtor_Lead_Id__c', 'Realtor_Person_Key__c'];

  @EnvVar({
    description: 'Other custom text fields on Lead, `Name__c` (255 chars) or `Name__c:<max length>`.',
  })
  @ListFromEnv()
  @Matches(/^[A-Za-z][A-Za-z0-9_]*__c(:\d{1,6})?$/, {
    each: true,
    message: 'each must be Name__c or Name__c:<length>',
  })
  SALESFORCE_LEAD_CUSTOM_FIELDS: string[] = [];

  @EnvVar({
    description:
      "The org's Lead duplicate rule on Email: `off`, `alert` (blocks API saves unless Sforce-Duplicate-Rule-Header allowSave=true) or `block`.",
  })
  @IsIn(DUPLICATE_RULE_MODES)
  SALESFORCE_LEAD_DUPLICATE_RULE: DuplicateRuleMode = 'off';
}
