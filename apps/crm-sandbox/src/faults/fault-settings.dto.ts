import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CRM_ENDPOINT_NAME, type CrmEndpointName } from '../common/crm-endpoint.decorator';

/** Statuses fault injection can answer with; each CRM renders them in its own error shape. */
export const FAULT_STATUSES = [401, 403, 429, 500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export const HUBSPOT_POLICIES = ['TEN_SECONDLY_ROLLING', 'DAILY'] as const;
export type HubspotPolicy = (typeof HUBSPOT_POLICIES)[number];

class FaultResponseDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_600)
  retryAfterSeconds?: number;

  @IsOptional()
  @IsIn(HUBSPOT_POLICIES)
  policyName?: HubspotPolicy;

  @IsOptional()
  @IsBoolean()
  html?: boolean;
}

export class ErrorRateDto extends FaultResponseDto {
  @IsIn(FAULT_STATUSES)
  status!: FaultStatus;

  @IsNumber()
  @Min(0)
  @Max(1)
  rate!: number;
}

export class LatencyDto {
  @IsInt()
  @Min(0)
  @Max(60_000)
  fixedMs = 0;

  @IsInt()
  @Min(0)
  @Max(60_000)
  jitterMs = 0;
}

export class RateLimitDto {
  @IsInt()
  @Min(1)
  max!: number;

  @IsInt()
  @Min(100)
  @Max(86_400_000)
  windowMs!: number;

  /** Send Retry-After (seconds until the window has room) with the rejection. */
  @IsBoolean()
  retryAfter = true;
}

/** An org validation rule: records whose `field` matches `pattern` are rejected with `message`. */
export class ValidationRuleDto {
  @IsString()
  @IsNotEmpty()
  field!: string;

  @IsString()
  pattern!: string;

  @IsString()
  @IsNotEmpty()
  message!: string;
}

export class FaultSettingsDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ErrorRateDto)
  errors: ErrorRateDto[] = [];

  @IsOptional()
  @ValidateNested()
  @Type(() => LatencyDto)
  latency?: LatencyDto;

  /** `null` turns the CRM's default rate limit off. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto | null;

  /**
   * Replaces the CRM's daily allocation (HubSpot: calls per portal per UTC day; Salesforce: API requests per
   * org per rolling 24 h). A very high value turns it off in practice.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  dailyLimit?: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ValidationRuleDto)
  validationRules: ValidationRuleDto[] = [];

  @IsOptional()
  @IsInt()
  seed?: number;
}

export class BurstDto extends FaultResponseDto {
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  count!: number;

  @IsIn(FAULT_STATUSES)
  status: FaultStatus = 429;
}

export class OutageDto extends FaultResponseDto {
  /** Unset: until `DELETE …/outage`. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  durationMs?: number;
}

export class ExpireTokensDto {
  /** Tokens issued so far keep working for this many more calls (0: expire now). */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  afterCalls = 0;
}

export class LostAnswersDto {
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  count!: number;

  /** Unset: any API call of the CRM; else one of its endpoints (checked by `checkLostAnswersEndpoint`). */
  @IsOptional()
  @Matches(CRM_ENDPOINT_NAME, {
    message: 'endpoint must be a CRM endpoint name, e.g. hubspot.notes.batch-create',
  })
  endpoint?: CrmEndpointName;

  /** How long the connection stays open, without an answer, before the sandbox closes it. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  afterMs = 0;
}
