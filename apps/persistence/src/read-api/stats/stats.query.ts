import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length } from 'class-validator';

/** `GET /stats` query parameters: the window of lead timestamps (default: the last 24 hours). */
export class StatsQuery {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Lead timestamps from (inclusive); default `until` − 24 hours.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  since?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Lead timestamps until (exclusive); default now.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  until?: string;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  account?: string;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  destination?: string;
}
