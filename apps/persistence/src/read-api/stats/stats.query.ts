import { IsISO8601, IsOptional, IsString, Length } from 'class-validator';

/** `GET /stats` query parameters: the window of lead timestamps (default: the last 24 hours). */
export class StatsQuery {
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  since?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  until?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  account?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  destination?: string;
}
