import { LEAD_TIERS, type LeadTier } from '@lead-delivery/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../database/entities/crm-delivery.entity';

export const MAX_PAGE_SIZE = 200;

const toInteger = () =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value));

/** `GET /leads` query parameters. Times filter the lead timestamp: since inclusive, until exclusive. */
export class ListLeadsQuery {
  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 200,
    description:
      'Search: the lead with this `lead_id`, and the leads with this email or phone (any format; without a country code, PHONE_DEFAULT_COUNTRY).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 200,
    description: 'Only the leads of this account.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  account?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Lead timestamps from (inclusive).',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  since?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Lead timestamps until (exclusive); after `since`.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  until?: string;

  @ApiPropertyOptional({ enum: LEAD_TIERS })
  @IsOptional()
  @IsIn(LEAD_TIERS)
  tier?: LeadTier;

  @ApiPropertyOptional({
    enum: DELIVERY_STATUSES,
    description: 'Leads with a delivery in this status (to `destination` when given).',
  })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 100,
    description: 'Leads routed or delivered to this destination.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  destination?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit = 50;

  @ApiPropertyOptional({
    type: String,
    description: 'The `next_cursor` of the previous page (opaque), with the same filters.',
  })
  @IsOptional()
  @IsString()
  cursor?: string;
}
