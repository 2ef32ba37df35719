import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsNonBlank, IsSpecDateTime, IsSpecEmail, IsSpecUri, IsUsableLeadId } from './spec-formats';
import {
  LEAD_ROLES,
  type Contact,
  type EnhancedLead,
  type EnhancedProperty,
  type FinanceInfo,
  type LeadRole,
  type ListingAgent,
  type StandardLead,
  type StandardProperty,
} from './lead.types';

// class-validator DTOs mirroring the spec's schemas one to one. parseLead decides which violations
// reject a lead and which are coerced or set aside; the DTOs only describe the spec.

const finite = { allowNaN: false, allowInfinity: false };

export class ContactDto implements Contact {
  @IsOptional() @IsString() first_name?: string;
  @IsOptional() @IsString() last_name?: string;
  @IsDefined() @IsString() @IsSpecEmail() email!: string;
  @IsOptional() @IsString() phone?: string;
}

export class StandardPropertyDto implements StandardProperty {
  @IsOptional() @IsString() address?: string;
  @IsOptional() @IsString() city?: string;
  @IsOptional() @IsString() state?: string;
  @IsOptional() @IsString() zip_code?: string;
  @IsOptional() @IsNumber(finite) list_price?: number;
  @IsOptional() @IsInt() beds?: number;
  @IsOptional() @IsInt() baths?: number;
}

export class EnhancedPropertyDto extends StandardPropertyDto implements EnhancedProperty {
  @IsOptional() @IsString() @IsSpecUri() listing_url?: string;
  @IsOptional() @IsNumber(finite) latitude?: number;
  @IsOptional() @IsNumber(finite) longitude?: number;
  @IsOptional() @IsString() mls_id?: string;
  @IsOptional() @IsString() mls_name?: string;
  @IsOptional() @IsString() listing_status?: string;
  @IsOptional() @IsInt() sqft?: number;
  @IsOptional() @IsInt() active_days_on_market?: number;
}

export class ListingAgentDto implements ListingAgent {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() @IsSpecEmail() email?: string;
  @IsOptional() @IsString() phone?: string;
}

export class FinanceInfoDto implements FinanceInfo {
  @IsOptional() @IsBoolean() pre_approved?: boolean;
  @IsOptional() @IsNumber(finite) budget_min?: number;
  @IsOptional() @IsNumber(finite) budget_max?: number;
}

abstract class LeadBaseDto {
  @IsDefined() @IsString() @IsNonBlank() @IsUsableLeadId() lead_id!: string;

  @IsDefined() @IsObject() @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;

  @IsOptional() @IsString() message?: string;
  @IsOptional() @IsString() source?: string;
  @IsDefined() @IsString() @IsSpecDateTime() timestamp!: string;
  @IsOptional() @IsString() digital_signature?: string;
}

export class StandardLeadDto extends LeadBaseDto implements StandardLead {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => StandardPropertyDto) property?: StandardPropertyDto;
}

export class EnhancedLeadDto extends LeadBaseDto implements EnhancedLead {
  @IsOptional() @IsIn(LEAD_ROLES) role?: LeadRole;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => EnhancedPropertyDto) property?: EnhancedPropertyDto;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => ListingAgentDto) listing_agent?: ListingAgentDto;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => FinanceInfoDto) finance_info?: FinanceInfoDto;

  @IsOptional() @IsBoolean() is_likely_to_transact?: boolean;

  @IsOptional() @IsNumber(finite) @Min(0) @Max(1) probability_to_transact?: number;
}

/** The DTO class of each nested object of a lead, by property name (parseLead walks these). */
export const NESTED_LEAD_OBJECTS = {
  contact: ContactDto,
  property: EnhancedPropertyDto,
  listing_agent: ListingAgentDto,
  finance_info: FinanceInfoDto,
} as const;
