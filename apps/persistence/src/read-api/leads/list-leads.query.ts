import { LEAD_TIERS, type LeadTier } from '@lead-delivery/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../database/entities/crm-delivery.entity';

export const MAX_PAGE_SIZE = 200;

const toInteger = () =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value));

/** `GET /leads` query parameters. Times filter the lead timestamp: since inclusive, until exclusive. */
export class ListLeadsQuery {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  account?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  since?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  until?: string;

  @IsOptional()
  @IsIn(LEAD_TIERS)
  tier?: LeadTier;

  /** Leads with a delivery in this status (to `destination` when given). */
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  /** Leads routed or delivered to this destination. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  destination?: string;

  @IsOptional()
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit = 50;

  @IsOptional()
  @IsString()
  cursor?: string;
}
